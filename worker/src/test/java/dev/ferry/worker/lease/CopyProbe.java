package dev.ferry.worker.lease;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Wraps the stores a worker opens for its jobs. A test can hold the blob uploads into one
 * target (the copy then stays in flight until released), slow every upload down, and see
 * tag writes in the same event list as the coordinator's calls. Stores are told apart by
 * their directory name ({@code target-1}).
 */
final class CopyProbe implements UnaryOperator<ImageStore> {

    private final Vertx vertx;
    private final List<String> events;
    private final Map<String, Promise<Void>> gates = new ConcurrentHashMap<>();
    private final Map<String, Integer> uploading = new ConcurrentHashMap<>();
    private final Map<String, Boolean> held = new ConcurrentHashMap<>();
    private volatile long uploadDelayMillis;
    private int maxConcurrentTargets;

    CopyProbe(Vertx vertx, List<String> events) {
        this.vertx = vertx;
        this.events = events;
    }

    /** Blob uploads into {@code name} wait until {@link #release}. */
    void hold(String name) {
        gates.put(name, Promise.promise());
    }

    void release(String name) {
        gates.get(name).tryComplete();
    }

    /** True once an upload into {@code name} is waiting at its gate. */
    boolean waitingAt(String name) {
        return held.getOrDefault(name, false);
    }

    /** Every blob upload first waits this long. */
    void delayUploads(long millis) {
        uploadDelayMillis = millis;
    }

    /** The most targets that had uploads going at the same time. */
    synchronized int maxConcurrentTargets() {
        return maxConcurrentTargets;
    }

    @Override
    public ImageStore apply(ImageStore store) {
        String description = store.describe();
        String name = Path.of(description.substring(description.lastIndexOf(' ') + 1))
                .getFileName()
                .toString();
        return new Probed(store, name);
    }

    private synchronized void uploadStarted(String name) {
        uploading.merge(name, 1, Integer::sum);
        maxConcurrentTargets = Math.max(maxConcurrentTargets, uploading.size());
    }

    private synchronized void uploadEnded(String name) {
        uploading.computeIfPresent(name, (k, n) -> n == 1 ? null : n - 1);
    }

    private final class Probed implements ImageStore {
        private final ImageStore delegate;
        private final String name;

        Probed(ImageStore delegate, String name) {
            this.delegate = delegate;
            this.name = name;
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public Future<Manifest> getManifest(String repository, String reference) {
            return delegate.getManifest(repository, reference);
        }

        @Override
        public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
            return delegate.headManifest(repository, reference);
        }

        @Override
        public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
            if (!reference.contains(":")) {
                events.add("tag write " + name + " " + reference);
            }
            return delegate.putManifest(repository, reference, manifest);
        }

        @Override
        public Future<Boolean> hasBlob(String repository, Digest digest) {
            return delegate.hasBlob(repository, digest);
        }

        @Override
        public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
            return delegate.openBlob(repository, blob);
        }

        @Override
        public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
            uploadStarted(name);
            Future<Void> ready = Future.succeededFuture();
            long delay = uploadDelayMillis;
            if (delay > 0) {
                Promise<Void> timer = Promise.promise();
                vertx.setTimer(delay, id -> timer.complete());
                ready = timer.future();
            }
            Promise<Void> gate = gates.get(name);
            if (gate != null) {
                held.put(name, true);
                ready = ready.compose(v -> gate.future());
            }
            return ready.compose(v -> delegate.putBlob(repository, blob, content))
                    .onComplete(ar -> uploadEnded(name));
        }

        @Override
        public Future<Boolean> mountBlob(String repository, Digest digest, String fromRepository) {
            return delegate.mountBlob(repository, digest, fromRepository);
        }

        @Override
        public Future<List<String>> listTags(String repository) {
            return delegate.listTags(repository);
        }

        @Override
        public Future<List<Descriptor>> referrers(String repository, Digest subject) {
            return delegate.referrers(repository, subject);
        }
    }
}
