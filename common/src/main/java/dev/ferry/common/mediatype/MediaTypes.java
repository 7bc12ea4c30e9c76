package dev.ferry.common.mediatype;

import java.util.List;
import java.util.Locale;

/** The manifest, config and layer media types Ferry understands. */
public final class MediaTypes {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";

    /** Manifest types asked for on every manifest GET and HEAD, indexes first. */
    public static final List<String> MANIFEST_ACCEPT =
            List.of(OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    public static final String ACCEPT_HEADER = String.join(", ", MANIFEST_ACCEPT);

    private MediaTypes() {}

    /** Strips parameters ({@code ; charset=utf-8}) and case from a Content-Type value. */
    public static String normalize(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String bare = semi >= 0 ? contentType.substring(0, semi) : contentType;
        return bare.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return isIndex(mediaType) || isImageManifest(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1.equals(mediaType) || DOCKER_SCHEMA1_SIGNED.equals(mediaType);
    }

    /** True for Docker's foreign layers, which registries do not store and Ferry does not copy. */
    public static boolean isForeignLayer(String mediaType) {
        return DOCKER_FOREIGN_LAYER.equals(mediaType)
                || "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip".equals(mediaType)
                || "application/vnd.oci.image.layer.nondistributable.v1.tar".equals(mediaType);
    }
}
