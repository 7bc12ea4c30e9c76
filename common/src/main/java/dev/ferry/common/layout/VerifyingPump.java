package dev.ferry.common.layout;

import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.digest.DigestVerifier;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;

/**
 * Copies a paused stream into a file with backpressure, hashing every chunk on the way.
 * Completes once the source has ended, the digest and size check out and every write has
 * landed; fails with the first error (source, file, or {@link DigestMismatchException}).
 * It never closes the file: committing or discarding it is the caller's decision.
 *
 * <p>Written by hand rather than with {@code Pipe} because a Pipe cannot hash the bytes, and
 * because the file must not be "ended" when the source fails.
 */
final class VerifyingPump {

    private final ReadStream<Buffer> source;
    private final AsyncFile target;
    private final DigestVerifier verifier;
    private final Promise<Void> result = Promise.promise();
    // Write completions arrive on the file's context, chunks on the source's: guard with this.
    private long pendingWrites;
    private boolean sourceEnded;

    VerifyingPump(ReadStream<Buffer> source, AsyncFile target, DigestVerifier verifier) {
        this.source = source;
        this.target = target;
        this.verifier = verifier;
    }

    Future<Void> run() {
        target.exceptionHandler(this::fail);
        source.exceptionHandler(this::fail);
        source.endHandler(v -> onEnd());
        source.handler(this::onChunk);
        source.resume();
        return result.future();
    }

    private void onChunk(Buffer chunk) {
        if (result.future().isComplete()) {
            return;
        }
        try {
            verifier.update(chunk);
        } catch (DigestMismatchException e) {
            // Oversized: stop before reading (and writing) the rest.
            fail(e);
            return;
        }
        synchronized (this) {
            pendingWrites++;
        }
        target.write(chunk).onComplete(ar -> {
            if (ar.failed()) {
                fail(ar.cause());
            } else {
                writeLanded();
            }
        });
        if (target.writeQueueFull()) {
            source.pause();
            target.drainHandler(v -> {
                if (!result.future().isComplete()) {
                    source.resume();
                }
            });
        }
    }

    private void onEnd() {
        if (result.future().isComplete()) {
            return;
        }
        try {
            verifier.verify();
        } catch (DigestMismatchException e) {
            fail(e);
            return;
        }
        synchronized (this) {
            sourceEnded = true;
        }
        completeWhenDone();
    }

    private void writeLanded() {
        synchronized (this) {
            pendingWrites--;
        }
        completeWhenDone();
    }

    private void completeWhenDone() {
        boolean done;
        synchronized (this) {
            done = sourceEnded && pendingWrites == 0;
        }
        if (done) {
            result.tryComplete();
        }
    }

    private void fail(Throwable cause) {
        if (result.tryFail(cause)) {
            source.pause();
        }
    }
}
