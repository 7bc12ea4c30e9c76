package dev.ferry.common.registry;

import dev.ferry.common.transport.IdleWatchdog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A request body whose idle watchdog runs only while the writer waits for the registry: from
 * the moment the writer asks to be told of a drain (the write queue is full) until the drain
 * comes. A registry that stops taking bytes is then timed out; a source that is slow or has
 * stalled is not blamed on the registry, since the writer is not waiting for a drain then.
 */
final class DrainWatchingWriteStream implements WriteStream<Buffer> {

    private final WriteStream<Buffer> delegate;
    private final IdleWatchdog watchdog;

    DrainWatchingWriteStream(WriteStream<Buffer> delegate, IdleWatchdog watchdog) {
        this.delegate = delegate;
        this.watchdog = watchdog;
    }

    @Override
    public Future<Void> write(Buffer data) {
        watchdog.touch();
        return delegate.write(data);
    }

    @Override
    public Future<Void> end() {
        return delegate.end();
    }

    @Override
    public boolean writeQueueFull() {
        return delegate.writeQueueFull();
    }

    @Override
    public DrainWatchingWriteStream drainHandler(Handler<Void> handler) {
        if (handler == null) {
            watchdog.stop();
            delegate.drainHandler(null);
            return this;
        }
        watchdog.restart();
        delegate.drainHandler(v -> {
            watchdog.stop();
            handler.handle(v);
        });
        return this;
    }

    @Override
    public DrainWatchingWriteStream exceptionHandler(Handler<Throwable> handler) {
        delegate.exceptionHandler(handler);
        return this;
    }

    @Override
    public DrainWatchingWriteStream setWriteQueueMaxSize(int maxSize) {
        delegate.setWriteQueueMaxSize(maxSize);
        return this;
    }
}
