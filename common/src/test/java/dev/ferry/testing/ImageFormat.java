package dev.ferry.testing;

/** The media types used for a synthetic image, OCI or Docker schema 2. */
public enum ImageFormat {
    OCI(
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar+gzip"),
    DOCKER(
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar.gzip");

    private final String manifestType;
    private final String indexType;
    private final String configType;
    private final String layerType;

    ImageFormat(String manifestType, String indexType, String configType, String layerType) {
        this.manifestType = manifestType;
        this.indexType = indexType;
        this.configType = configType;
        this.layerType = layerType;
    }

    public String manifestType() {
        return manifestType;
    }

    /** OCI image index or Docker manifest list. */
    public String indexType() {
        return indexType;
    }

    public String configType() {
        return configType;
    }

    public String layerType() {
        return layerType;
    }
}
