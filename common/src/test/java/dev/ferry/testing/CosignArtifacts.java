package dev.ferry.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes the small artifacts cosign and other tools put next to an image: a one-layer OCI
 * manifest under a tag ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}), or an OCI 1.1
 * referrer (a manifest with {@code subject} and {@code artifactType}) plus the referrers tag
 * schema's {@code sha256-<hex>} index, for registries without the referrers API.
 */
public final class CosignArtifacts {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    private final RegistryPusher pusher;

    public CosignArtifacts(RegistryPusher pusher) {
        this.pusher = pusher;
    }

    public static CosignArtifacts forRegistry(RegistryProcess registry) {
        return new CosignArtifacts(new RegistryPusher(
                RegistryPusher.defaultClient(), URI.create(registry.url()), AuthHeader.forRegistry(registry)));
    }

    /** Pushes a manifest with one layer of {@code content} under {@code tag}; returns the manifest digest. */
    public String pushUnderTag(
            String repository,
            String tag,
            String layerMediaType,
            byte[] content,
            Map<String, String> layerAnnotations) {
        Map<String, Object> manifest = manifest(repository, layerMediaType, content, layerAnnotations);
        byte[] bytes = CosignSigner.json(manifest);
        String digest = Digests.sha256(bytes);
        pusher.pushManifest(repository, tag, OCI_MANIFEST, bytes, digest);
        return digest;
    }

    /**
     * Pushes an OCI 1.1 referrer of {@code subjectDigest} by digest, and adds it to the
     * {@code sha256-<hex>} fallback index (created if absent: the registry has no referrers API).
     *
     * @param existing descriptors already in the fallback index, kept first
     * @return the descriptor of the pushed referrer, as listed in the index
     */
    public Map<String, Object> pushReferrer(
            String repository,
            String subjectDigest,
            String subjectMediaType,
            long subjectSize,
            String artifactType,
            String layerMediaType,
            byte[] content,
            List<Map<String, Object>> existing) {
        return pushReferrer(
                repository,
                subjectDigest,
                subjectMediaType,
                subjectSize,
                artifactType,
                layerMediaType,
                content,
                Map.of(),
                existing);
    }

    /** As above, with annotations on the referrer's layer (a cosign signature's, say). */
    public Map<String, Object> pushReferrer(
            String repository,
            String subjectDigest,
            String subjectMediaType,
            long subjectSize,
            String artifactType,
            String layerMediaType,
            byte[] content,
            Map<String, String> layerAnnotations,
            List<Map<String, Object>> existing) {
        Map<String, Object> manifest = manifest(repository, layerMediaType, content, layerAnnotations);
        manifest.put("artifactType", artifactType);
        manifest.put("subject", descriptor(subjectMediaType, subjectDigest, subjectSize, null));
        byte[] bytes = CosignSigner.json(manifest);
        String digest = Digests.sha256(bytes);
        pusher.pushManifest(repository, digest, OCI_MANIFEST, bytes, digest);
        Map<String, Object> listed = descriptor(OCI_MANIFEST, digest, bytes.length, null);
        listed.put("artifactType", artifactType);
        List<Map<String, Object>> manifests = new ArrayList<>(existing);
        manifests.add(listed);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        index.put("manifests", manifests);
        byte[] indexBytes = CosignSigner.json(index);
        pusher.pushManifest(
                repository, subjectDigest.replace(':', '-'), OCI_INDEX, indexBytes, Digests.sha256(indexBytes));
        return listed;
    }

    private Map<String, Object> manifest(
            String repository, String layerMediaType, byte[] content, Map<String, String> layerAnnotations) {
        byte[] config = CosignSigner.json(Map.of(
                "architecture",
                "",
                "os",
                "",
                "config",
                Map.of(),
                "rootfs",
                Map.of("type", "layers", "diff_ids", List.of(Digests.sha256(content)))));
        GeneratedBlob configBlob = blob(config, OCI_CONFIG);
        GeneratedBlob layer = blob(content, layerMediaType);
        pusher.pushBlob(repository, configBlob);
        pusher.pushBlob(repository, layer);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("config", descriptor(OCI_CONFIG, configBlob.digest(), config.length, null));
        manifest.put(
                "layers",
                List.of(descriptor(
                        layerMediaType,
                        layer.digest(),
                        content.length,
                        layerAnnotations.isEmpty() ? null : layerAnnotations)));
        return manifest;
    }

    private static GeneratedBlob blob(byte[] bytes, String mediaType) {
        String digest = Digests.sha256(bytes);
        return new GeneratedBlob(digest, bytes.length, mediaType, digest, new BlobData.InMemory(bytes));
    }

    private static Map<String, Object> descriptor(
            String mediaType, String digest, long size, Map<String, String> annotations) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        if (annotations != null) {
            d.put("annotations", annotations);
        }
        return d;
    }
}
