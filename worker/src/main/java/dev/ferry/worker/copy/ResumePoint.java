package dev.ferry.worker.copy;

import dev.ferry.common.digest.DigestCheckpoints;
import dev.ferry.common.image.BlobUpload;
import dev.ferry.common.manifest.Descriptor;
import java.util.Optional;

/**
 * Where one attempt at a blob transfer starts.
 *
 * @param upload the session to continue, or a new (closed) one
 * @param hashes the hash state at {@code readFrom}
 * @param readFrom the source offset to read from: the latest hash checkpoint at or before {@code sendFrom}
 * @param sendFrom the first byte the target does not hold; bytes from {@code readFrom} up to it are only hashed
 */
record ResumePoint(BlobUpload upload, DigestCheckpoints hashes, long readFrom, long sendFrom) {

    static ResumePoint fresh(Descriptor blob, long step) {
        return new ResumePoint(new BlobUpload(), new DigestCheckpoints(blob.digest(), step), 0, 0);
    }

    /**
     * Continues {@code saved} at the offset the target reported; empty when that is not
     * possible: an offset outside the blob, or no hash checkpoint at or before it (the target
     * reports fewer bytes than it had acknowledged, and the state for them was dropped).
     */
    static Optional<ResumePoint> at(ResumableUploads.Saved saved, long offset, Descriptor blob, long step) {
        if (offset < 0 || offset > blob.size()) {
            return Optional.empty();
        }
        return saved.hashes()
                .latestAtOrBefore(offset)
                .map(checkpoint -> new ResumePoint(
                        saved.upload(), new DigestCheckpoints(checkpoint, step), checkpoint.offset(), offset));
    }

    boolean resumed() {
        return upload.isOpen();
    }
}
