package dev.ferry.common.registry;

import dev.ferry.common.image.Abandonable;
import dev.ferry.common.image.Streams;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.IdleWatchdog;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/**
 * A response body stream that fails with a temporary timeout error when no bytes arrive for
 * the idle timeout while the reader wants them (not while it has paused the stream), and
 * reports its other errors as the transport's error type.
 */
final class WatchedResponse implements ReadStream<Buffer>, Abandonable {

    private final HttpClientResponse response;
    private final IdleWatchdog watchdog;
    private Handler<Throwable> exceptionHandler;
    private boolean failed;

    WatchedResponse(HttpClientResponse response, HttpTransport transport, String what) {
        this.response = response;
        this.watchdog = transport.watchdog(what, this::fail);
        watchdog.stop(); // the response comes back paused
        response.exceptionHandler(e -> fail(transport.failure(what, e)));
    }

    private void fail(Throwable e) {
        watchdog.stop();
        if (failed) {
            return;
        }
        failed = true;
        response.request().reset(0, e);
        Handler<Throwable> h = exceptionHandler;
        if (h != null) {
            h.handle(e);
        }
    }

    @Override
    public void abandon() {
        watchdog.stop();
        failed = true;
        Streams.abandon(response);
    }

    @Override
    public WatchedResponse exceptionHandler(Handler<Throwable> h) {
        this.exceptionHandler = h;
        return this;
    }

    @Override
    public WatchedResponse handler(Handler<Buffer> h) {
        response.handler(
                h == null
                        ? null
                        : chunk -> {
                            watchdog.touch();
                            h.handle(chunk);
                        });
        return this;
    }

    @Override
    public WatchedResponse pause() {
        watchdog.stop();
        response.pause();
        return this;
    }

    @Override
    public WatchedResponse resume() {
        watchdog.restart();
        response.resume();
        return this;
    }

    @Override
    public WatchedResponse fetch(long amount) {
        watchdog.restart();
        response.fetch(amount);
        return this;
    }

    @Override
    public WatchedResponse endHandler(Handler<Void> h) {
        response.endHandler(v -> {
            watchdog.stop();
            if (h != null) {
                h.handle(v);
            }
        });
        return this;
    }
}
