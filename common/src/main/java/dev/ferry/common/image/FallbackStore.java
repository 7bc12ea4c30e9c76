package dev.ferry.common.image;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One registry served from several endpoints that hold the same content: a read goes to the
 * first endpoint, and when that one gives no answer at all (refused, reset, timed out before
 * any headers) to the next, in order; an HTTP answer, even an error, is final. Writes go to
 * the first endpoint only.
 *
 * <p>Nothing read from a fallback is trusted more than from the primary: callers read by
 * digest and verify what they read (manifests are checked against the digest asked for,
 * blobs while they stream), so a fallback that serves other bytes fails the read.
 * {@link #servedBy()} tells which fallback answered, for the job's report.
 */
public final class FallbackStore implements ImageStore {

    /** An endpoint's store, and its URL for reports. */
    public record Endpoint(String url, ImageStore store) {}

    private final List<Endpoint> endpoints;
    private volatile String servedBy;

    /** @param endpoints the primary first, then the fallbacks in the order to try them */
    public FallbackStore(List<Endpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a fallback store needs at least one endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
    }

    /** The URL of the last fallback that answered a read, or null while only the primary has. */
    public String servedBy() {
        return servedBy;
    }

    private <T> Future<T> read(Function<ImageStore, Future<T>> call) {
        return attempt(0, call);
    }

    private <T> Future<T> attempt(int i, Function<ImageStore, Future<T>> call) {
        Endpoint endpoint = endpoints.get(i);
        return call.apply(endpoint.store()).transform(ar -> {
            if (ar.succeeded()) {
                if (i > 0) {
                    servedBy = endpoint.url();
                }
                return Future.succeededFuture(ar.result());
            }
            boolean unanswered = ar.cause() instanceof RegistryException re && re.gaveNoResponse();
            return unanswered && i + 1 < endpoints.size() ? attempt(i + 1, call) : Future.failedFuture(ar.cause());
        });
    }

    private ImageStore primary() {
        return endpoints.get(0).store();
    }

    @Override
    public String describe() {
        return primary().describe() + " (with " + (endpoints.size() - 1) + " fallback(s))";
    }

    @Override
    public Future<Manifest> getManifest(String repository, String reference) {
        return read(s -> s.getManifest(repository, reference));
    }

    @Override
    public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
        return read(s -> s.headManifest(repository, reference));
    }

    @Override
    public Future<Boolean> hasBlob(String repository, Digest digest) {
        return read(s -> s.hasBlob(repository, digest));
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
        return read(s -> s.openBlob(repository, blob));
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob, long offset) {
        return read(s -> s.openBlob(repository, blob, offset));
    }

    @Override
    public Future<List<String>> listTags(String repository) {
        return read(s -> s.listTags(repository));
    }

    @Override
    public Future<List<Descriptor>> referrers(String repository, Digest subject) {
        return read(s -> s.referrers(repository, subject));
    }

    @Override
    public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
        return primary().putManifest(repository, reference, manifest);
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
        return primary().putBlob(repository, blob, content);
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content, BlobUpload upload) {
        return primary().putBlob(repository, blob, content, upload);
    }

    @Override
    public Future<Long> uploadedBytes(String repository, BlobUpload upload) {
        return primary().uploadedBytes(repository, upload);
    }

    @Override
    public Future<Void> cancelUpload(String repository, BlobUpload upload) {
        return primary().cancelUpload(repository, upload);
    }

    @Override
    public Future<Boolean> mountBlob(String repository, Digest digest, String fromRepository) {
        return primary().mountBlob(repository, digest, fromRepository);
    }

    @Override
    public Future<Void> deleteManifest(String repository, String digest) {
        return primary().deleteManifest(repository, digest);
    }
}
