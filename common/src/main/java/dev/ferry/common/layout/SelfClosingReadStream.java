package dev.ferry.common.layout;

import dev.ferry.common.image.Abandonable;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;

/**
 * A read-only view of an {@link AsyncFile} that closes the file when the stream ends or
 * fails. Callers only get a {@code ReadStream} and cannot close it themselves; an AsyncFile
 * does not close itself at end of file.
 */
final class SelfClosingReadStream implements ReadStream<Buffer>, Abandonable {

    private final AsyncFile file;
    private volatile Handler<Buffer> dataHandler;
    private boolean installed;
    private volatile Handler<Void> endHandler;
    private volatile Handler<Throwable> exceptionHandler;

    SelfClosingReadStream(AsyncFile file) {
        this.file = file;
        file.endHandler(v -> {
            Handler<Void> h = endHandler;
            if (h != null) {
                h.handle(null);
            }
            closeQuietly();
        });
        file.exceptionHandler(e -> {
            Handler<Throwable> h = exceptionHandler;
            if (h != null) {
                h.handle(e);
            }
            closeQuietly();
        });
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    /**
     * The file gets one handler, installed once: AsyncFile starts a new read loop each time a
     * handler is set, so a caller swapping handlers would otherwise read chunks twice.
     */
    @Override
    public synchronized ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.dataHandler = handler;
        if (handler != null && !installed) {
            installed = true;
            file.handler(chunk -> {
                Handler<Buffer> h = dataHandler;
                if (h != null) {
                    h.handle(chunk);
                }
            });
        }
        return this;
    }

    @Override
    public void abandon() {
        dataHandler = null;
        closeQuietly();
    }

    @Override
    public ReadStream<Buffer> pause() {
        file.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        file.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        file.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        this.endHandler = handler;
        return this;
    }

    private void closeQuietly() {
        try {
            file.close();
        } catch (IllegalStateException alreadyClosed) {
            // Nothing to release.
        }
    }
}
