package dev.ferry.common.registry;

import dev.ferry.common.transport.IdleWatchdog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** A request body that tells its idle watchdog each time bytes move (written, or drained to the socket). */
final class TouchingWriteStream implements WriteStream<Buffer> {

  private final WriteStream<Buffer> delegate;
  private final IdleWatchdog watchdog;

  TouchingWriteStream(WriteStream<Buffer> delegate, IdleWatchdog watchdog) {
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
  public TouchingWriteStream drainHandler(Handler<Void> handler) {
    delegate.drainHandler(handler == null ? null : v -> {
      watchdog.touch();
      handler.handle(v);
    });
    return this;
  }

  @Override
  public TouchingWriteStream exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public TouchingWriteStream setWriteQueueMaxSize(int maxSize) {
    delegate.setWriteQueueMaxSize(maxSize);
    return this;
  }
}
