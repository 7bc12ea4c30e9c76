package dev.ferry.common.digest;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes a blob stream through while hashing it, and holds the latest chunk back until
 * the next one arrives. The final chunk is released only once size and digest have been
 * verified, so a consumer never receives the complete bytes of a corrupt blob: on a
 * mismatch it gets the error instead of the last chunk and the end.
 *
 * <p>For a resumed upload it can start from a hash checkpoint: the source then begins at
 * the checkpoint's offset, and bytes before {@code emitFrom} (which the target already
 * holds) are hashed but not passed on.
 */
public final class VerifyingReadStream implements ReadStream<Buffer> {

    private final ReadStream<Buffer> source;
    private final DigestVerifier verifier;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private Handler<Integer> progressHandler;
    private final long emitFrom;
    private Buffer held;
    private boolean failed;
    private Throwable failure;

    public VerifyingReadStream(ReadStream<Buffer> source, Digest expected, long expectedSize) {
        this(source, expected, expectedSize, new DigestCheckpoints(expected, Long.MAX_VALUE), 0);
    }

    /**
     * @param state hash state at the offset where {@code source} starts
     * @param emitFrom the first byte offset to pass on; earlier ones are only hashed
     */
    public VerifyingReadStream(
            ReadStream<Buffer> source, Digest expected, long expectedSize, DigestCheckpoints state, long emitFrom) {
        if (emitFrom < state.count()) {
            throw new IllegalArgumentException(
                    "cannot emit from " + emitFrom + ": the hash state is at " + state.count());
        }
        this.source = source;
        this.emitFrom = emitFrom;
        this.verifier = new DigestVerifier(expected, expectedSize, state);
        source.handler(this::onData);
        source.endHandler(v -> onEnd());
        source.exceptionHandler(this::fail);
    }

    /** Called with each chunk's size as it arrives from the source, for progress reports. */
    public VerifyingReadStream progressHandler(Handler<Integer> h) {
        this.progressHandler = h;
        return this;
    }

    /** Bytes seen so far, for progress. */
    public long bytesRead() {
        return verifier.count();
    }

    private void onData(Buffer data) {
        if (failed) {
            return;
        }
        long start = verifier.count();
        try {
            verifier.update(data);
        } catch (DigestMismatchException e) {
            source.pause();
            fail(e);
            return;
        }
        Buffer chunk = data;
        if (start < emitFrom) {
            long hidden = Math.min(data.length(), emitFrom - start);
            if (hidden == data.length()) {
                return;
            }
            chunk = data.getBuffer((int) hidden, data.length());
        }
        if (progressHandler != null) {
            progressHandler.handle(chunk.length());
        }
        Buffer release = held;
        held = chunk;
        if (release != null) {
            emit(release);
        }
    }

    private void onEnd() {
        if (failed) {
            return;
        }
        try {
            verifier.verify();
        } catch (DigestMismatchException e) {
            fail(e);
            return;
        }
        if (held != null) {
            Buffer last = held;
            held = null;
            emit(last);
        }
        Handler<Void> h = endHandler;
        if (h != null) {
            h.handle(null);
        }
    }

    private void emit(Buffer chunk) {
        Handler<Buffer> h = handler;
        if (h != null) {
            h.handle(chunk);
        }
    }

    private void fail(Throwable e) {
        if (failed) {
            return;
        }
        failed = true;
        failure = e;
        held = null;
        Handler<Throwable> h = exceptionHandler;
        if (h != null) {
            h.handle(e);
        }
    }

    /** A handler set after the stream failed hears of the failure at once: it is never lost. */
    @Override
    public VerifyingReadStream exceptionHandler(Handler<Throwable> h) {
        this.exceptionHandler = h;
        if (h != null && failure != null) {
            h.handle(failure);
        }
        return this;
    }

    @Override
    public VerifyingReadStream handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public VerifyingReadStream pause() {
        source.pause();
        return this;
    }

    @Override
    public VerifyingReadStream resume() {
        source.resume();
        return this;
    }

    @Override
    public VerifyingReadStream fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public VerifyingReadStream endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }
}
