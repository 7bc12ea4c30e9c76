package dev.ferry.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What {@link TestImages} pushed or wrote.
 *
 * @param tag       the tag it was pushed under, {@code null} for index children (pushed by digest)
 * @param digest    sha256 of {@code manifest}, the exact bytes pushed
 * @param manifest  the manifest or index bytes
 * @param platform  platform of an image manifest, {@code null} for an index
 * @param blobs     every config and layer blob referenced, directly or through children, each once
 * @param children  the platform manifests of an index (empty for a manifest)
 */
public record SeededImage(
        String tag,
        String digest,
        String mediaType,
        byte[] manifest,
        ImagePlatform platform,
        List<BlobRef> blobs,
        List<SeededImage> children) {

    public SeededImage {
        blobs = List.copyOf(blobs);
        children = List.copyOf(children);
    }

    public boolean isIndex() {
        return !children.isEmpty() || platform == null;
    }

    public List<String> childDigests() {
        return children.stream().map(SeededImage::digest).toList();
    }

    public List<String> blobDigests() {
        return blobs.stream().map(BlobRef::digest).toList();
    }

    public long manifestSize() {
        return manifest.length;
    }

    public String manifestString() {
        return new String(manifest, StandardCharsets.UTF_8);
    }

    /** {@code host/repository:tag}. */
    public String reference(String host, String repository) {
        return host + "/" + repository + ":" + tag;
    }

    /** {@code host/repository@digest}. */
    public String digestReference(String host, String repository) {
        return host + "/" + repository + "@" + digest;
    }

    @Override
    public String toString() {
        return "SeededImage[" + mediaType + " " + digest + ", tag=" + tag + ", blobs=" + blobs.size() + ", children="
                + childDigests() + "]";
    }
}
