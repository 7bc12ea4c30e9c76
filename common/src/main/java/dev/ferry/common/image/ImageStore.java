package dev.ferry.common.image;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.Optional;

/**
 * Somewhere images are read from and written to: a registry, or an OCI image-layout
 * directory. The copy engine only speaks this interface, so it can be tested offline and
 * the air-gapped path (registry to directory and back) is the same code as registry to
 * registry.
 *
 * <p>Every method returns a Future and never blocks the calling event loop.
 * {@code reference} is a tag or a digest string.
 */
public interface ImageStore {

    /** A short human description for messages, e.g. {@code registry 127.0.0.1:5000} (never credentials). */
    String describe();

    /** Fetches a manifest or index. Fails with a {@link dev.ferry.common.transport.RegistryException} of status 404 when absent,
     * for a layout directory too, so callers test one error type. */
    Future<Manifest> getManifest(String repository, String reference);

    /**
     * Looks a manifest up without fetching it (a HEAD: on Docker Hub it is not counted as a
     * pull). Empty when absent.
     */
    Future<Optional<Descriptor>> headManifest(String repository, String reference);

    /**
     * Stores a manifest's exact bytes under a tag or under its digest. Callers push every
     * blob and child manifest first: this write is the commit point.
     */
    Future<Void> putManifest(String repository, String reference, Manifest manifest);

    /** True when the store already holds the blob. */
    Future<Boolean> hasBlob(String repository, Digest digest);

    /**
     * Opens a blob for reading. The stream comes back paused; the caller sets handlers and
     * resumes it (or pipes it).
     */
    Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob);

    /**
     * Opens a blob from byte {@code offset} on, for resuming. Stores that cannot seek read
     * and drop the bytes before it.
     */
    default Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob, long offset) {
        if (offset == 0) {
            return openBlob(repository, blob);
        }
        return openBlob(repository, blob).map(s -> new SkippingReadStream(s, offset, e -> e));
    }

    /**
     * As {@link #putBlob(String, Descriptor, ReadStream)}, resumably: if {@code upload} is
     * open, {@code content} holds the blob from {@code upload.offset()} on and is appended to
     * that session; otherwise a new session is opened and recorded in {@code upload}. On a
     * temporary failure the session is left open (and {@code upload} says where) for a later
     * attempt; otherwise it is cancelled. Stores without sessions ignore {@code upload}.
     */
    default Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content, BlobUpload upload) {
        return putBlob(repository, blob, content);
    }

    /**
     * Asks the store how many bytes an open upload session holds, and updates {@code upload}
     * with them. Fails when the session cannot be resumed (unknown, expired, unsupported).
     */
    default Future<Long> uploadedBytes(String repository, BlobUpload upload) {
        return Future.failedFuture(new UnsupportedOperationException(describe() + " cannot resume uploads"));
    }

    /** Abandons an open upload session, best effort, and clears {@code upload}. */
    default Future<Void> cancelUpload(String repository, BlobUpload upload) {
        upload.clear();
        return Future.succeededFuture();
    }

    /**
     * Stores a blob from a paused stream, with backpressure. If the stream fails, nothing is
     * committed: the upload is abandoned and the future fails with the stream's error.
     */
    Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content);

    /**
     * Asks the store to link a blob it already holds in another repository. Completes with
     * false when it cannot (the caller then uploads).
     */
    default Future<Boolean> mountBlob(String repository, Digest digest, String fromRepository) {
        return Future.succeededFuture(false);
    }

    /** Every tag of a repository, in the store's order. */
    Future<List<String>> listTags(String repository);

    /**
     * Deletes a manifest by digest, and with it every tag that points at it. Stores that
     * cannot delete fail.
     */
    default Future<Void> deleteManifest(String repository, String digest) {
        return Future.failedFuture(
                new UnsupportedOperationException(describe() + " does not support deleting manifests"));
    }

    /** Manifests that refer to {@code subject} (signatures, SBOMs, attestations). */
    default Future<List<Descriptor>> referrers(String repository, Digest subject) {
        return Future.succeededFuture(List.of());
    }
}
