package dev.ferry.worker.resilience;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A store whose {@code listTags}, {@code putBlob} and {@code openBlob} answer from a script: each call takes
 * the next failure queued, or succeeds when none is left. With {@link #hold} set, calls stay
 * open until the test completes them, to observe concurrency. Records when each call came.
 */
final class ScriptedStore implements ImageStore {

    final Deque<Throwable> failures = new ArrayDeque<>();
    final List<Long> callNanos = Collections.synchronizedList(new ArrayList<>());
    final List<Promise<Void>> open = Collections.synchronizedList(new ArrayList<>());
    volatile boolean hold;
    /** What {@code openBlob} hands out when its call succeeds. */
    volatile ReadStream<Buffer> blobBody;

    private int inFlight;
    private int maxInFlight;

    synchronized ScriptedStore failWith(Throwable e, int times) {
        for (int i = 0; i < times; i++) {
            failures.addLast(e);
        }
        return this;
    }

    int calls() {
        return callNanos.size();
    }

    synchronized int maxInFlight() {
        return maxInFlight;
    }

    private Future<Void> next() {
        callNanos.add(System.nanoTime());
        Throwable failure;
        synchronized (this) {
            failure = failures.pollFirst();
            if (failure == null && hold) {
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                Promise<Void> p = Promise.promise();
                open.add(p);
                return p.future().andThen(ar -> {
                    synchronized (this) {
                        inFlight--;
                    }
                });
            }
        }
        return failure == null ? Future.succeededFuture() : Future.failedFuture(failure);
    }

    @Override
    public String describe() {
        return "scripted store";
    }

    @Override
    public Future<List<String>> listTags(String repository) {
        return next().map(v -> List.of("v1"));
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
        return next();
    }

    @Override
    public Future<Manifest> getManifest(String repository, String reference) {
        return Future.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
        return Future.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
        return Future.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public Future<Boolean> hasBlob(String repository, Digest digest) {
        return Future.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
        return next().map(v -> blobBody);
    }
}
