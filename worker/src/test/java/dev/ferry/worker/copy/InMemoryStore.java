package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake registry for copy-engine unit tests. It records every write in order, can serve
 * corrupt blob bytes, and tracks how many uploads run at once.
 */
final class InMemoryStore implements ImageStore {

    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    /** repo|reference to manifest bytes. */
    final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger uploadsInFlight = new AtomicInteger();
    final AtomicInteger maxUploadsInFlight = new AtomicInteger();
    volatile Digest corrupt;
    volatile boolean supportsMount;
    /** Simulates a registry that scopes blobs per repository: HEAD never finds one. */
    volatile boolean headAlwaysMisses;
    /** When set, a manifest written under a tag is replaced by this one (a racing writer). */
    volatile Manifest racingTagWrite;
    /** Digests whose next upload fails for good (HTTP 400) once its body is in, once each. */
    final java.util.Set<String> failNextUpload = ConcurrentHashMap.newKeySet();

    final AtomicInteger blobHeads = new AtomicInteger();
    /** Run after each blob upload completes: lets a test change the store mid-copy. */
    volatile Runnable afterBlob = () -> {};

    private final Vertx vertx;

    InMemoryStore(Vertx vertx) {
        this.vertx = vertx;
    }

    void addBlob(byte[] bytes) {
        blobs.put(Digest.sha256(bytes).toString(), bytes);
    }

    void addManifest(String repo, String ref, Manifest m) {
        manifests.put(repo + "|" + ref, m);
        manifests.put(repo + "|" + m.digest(), m);
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public Future<Manifest> getManifest(String repository, String reference) {
        Manifest m = manifests.get(repository + "|" + reference);
        return m != null
                ? Future.succeededFuture(ManifestParser.parse(m.raw(), m.mediaType()))
                : Future.failedFuture(RegistryException.fromResponse("GET " + reference, 404, "", null));
    }

    @Override
    public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
        return Future.succeededFuture(
                Optional.ofNullable(manifests.get(repository + "|" + reference)).map(Manifest::descriptor));
    }

    @Override
    public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
        writes.add("manifest " + repository + ":" + reference);
        addManifest(repository, reference, manifest);
        Manifest racer = racingTagWrite;
        if (racer != null && !reference.contains(":")) {
            addManifest(repository, reference, racer);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> hasBlob(String repository, Digest digest) {
        blobHeads.incrementAndGet();
        return Future.succeededFuture(!headAlwaysMisses && blobs.containsKey(digest.toString()));
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
        byte[] bytes = blobs.get(blob.digest().toString());
        if (bytes == null) {
            return Future.failedFuture(RegistryException.fromResponse("GET blob", 404, "", null));
        }
        if (blob.digest().equals(corrupt)) {
            bytes = bytes.clone();
            bytes[bytes.length / 2] ^= 0x5a;
        }
        ReadStream<Buffer> s = new ByteArrayReadStream(vertx.getOrCreateContext(), bytes, 1000);
        return Future.succeededFuture(s);
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
        int now = uploadsInFlight.incrementAndGet();
        maxUploadsInFlight.accumulateAndGet(now, Math::max);
        Promise<Void> done = Promise.promise();
        Buffer received = Buffer.buffer();
        content.handler(received::appendBuffer);
        content.exceptionHandler(e -> {
            uploadsInFlight.decrementAndGet();
            done.tryFail(e);
        });
        content.endHandler(v -> {
            // Finish a little later so concurrent uploads overlap, as on a network.
            vertx.setTimer(5, t -> {
                if (failNextUpload.remove(blob.digest().toString())) {
                    uploadsInFlight.decrementAndGet();
                    done.tryFail(RegistryException.fromResponse("PUT blob " + blob.digest(), 400, "", null));
                    return;
                }
                blobs.put(blob.digest().toString(), received.getBytes());
                writes.add("blob " + blob.digest());
                afterBlob.run();
                uploadsInFlight.decrementAndGet();
                done.tryComplete();
            });
        });
        content.resume();
        return done.future();
    }

    @Override
    public Future<Boolean> mountBlob(String repository, Digest digest, String fromRepository) {
        if (supportsMount && blobs.containsKey(digest.toString())) {
            writes.add("mount " + digest + " from " + fromRepository);
            return Future.succeededFuture(true);
        }
        return Future.succeededFuture(false);
    }

    @Override
    public Future<List<String>> listTags(String repository) {
        return Future.succeededFuture(List.of());
    }
}
