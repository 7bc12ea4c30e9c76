package dev.ferry.worker.resilience;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.BlobUpload;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.image.SkippingReadStream;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.Optional;

/**
 * An {@link ImageStore} whose requests go through a registry's {@link RegistryGuard}. Every
 * request is retried on temporary errors, except the streamed {@link #putBlob} (its body
 * cannot be replayed; the copy engine resumes it), which only passes the breaker and the caps.
 * Opening a blob is retried until the stream is handed over; the bytes that follow are the
 * copier's, but a body that then stalls or breaks still counts against this registry's breaker.
 * An upload that fails because of its content's source counts against the source only (see
 * {@link RegistryGuard}).
 */
final class GuardedStore implements ImageStore {

    private final ImageStore store;
    private final RegistryGuard guard;

    GuardedStore(ImageStore store, RegistryGuard guard) {
        this.store = store;
        this.guard = guard;
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public Future<Manifest> getManifest(String repository, String reference) {
        return guard.call(() -> store.getManifest(repository, reference));
    }

    @Override
    public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
        return guard.call(() -> store.headManifest(repository, reference));
    }

    @Override
    public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
        return guard.call(() -> store.putManifest(repository, reference, manifest));
    }

    @Override
    public Future<Boolean> hasBlob(String repository, Digest digest) {
        return guard.call(() -> store.hasBlob(repository, digest));
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
        return guard.call(() -> store.openBlob(repository, blob)).map(this::watched);
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob, long offset) {
        return guard.call(() -> store.openBlob(repository, blob, offset)).map(this::watched);
    }

    /** A blob body that stalls or breaks after the request succeeded still counts against this registry. */
    private ReadStream<Buffer> watched(ReadStream<Buffer> body) {
        return new SkippingReadStream(body, 0, guard::failedMidStream);
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
        return guard.once(() -> store.putBlob(repository, blob, content));
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content, BlobUpload upload) {
        return guard.once(() -> store.putBlob(repository, blob, content, upload));
    }

    @Override
    public Future<Long> uploadedBytes(String repository, BlobUpload upload) {
        return guard.once(() -> store.uploadedBytes(repository, upload));
    }

    /** Not guarded: giving up on a session is best effort and must not wait for the breaker or the caps. */
    @Override
    public Future<Void> cancelUpload(String repository, BlobUpload upload) {
        return store.cancelUpload(repository, upload);
    }

    @Override
    public Future<Boolean> mountBlob(String repository, Digest digest, String fromRepository) {
        return guard.call(() -> store.mountBlob(repository, digest, fromRepository));
    }

    @Override
    public Future<List<String>> listTags(String repository) {
        return guard.call(() -> store.listTags(repository));
    }

    @Override
    public Future<Void> deleteManifest(String repository, String digest) {
        return guard.call(() -> store.deleteManifest(repository, digest));
    }

    @Override
    public Future<List<Descriptor>> referrers(String repository, Digest subject) {
        return guard.call(() -> store.referrers(repository, subject));
    }
}
