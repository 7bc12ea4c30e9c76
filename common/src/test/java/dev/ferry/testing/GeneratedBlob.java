package dev.ferry.testing;

/**
 * A generated blob with its content.
 *
 * @param diffId sha256 of the uncompressed layer (equal to {@code digest} for config blobs)
 */
public record GeneratedBlob(String digest, long size, String mediaType, String diffId, BlobData data) {

    public BlobRef ref() {
        return new BlobRef(digest, size, mediaType);
    }
}
