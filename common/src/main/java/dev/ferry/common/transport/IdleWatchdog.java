package dev.ferry.common.transport;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * Fires once when nothing has called {@link #touch()} for the idle limit while it runs.
 * Used for streamed bodies in both directions: Vert.x's request idle timeout neither sees
 * the bytes a client writes nor (in our tests) fires once a response body has started. A
 * stream paused by backpressure is not idle through its own fault, so the reader of a
 * response {@link #stop()}s the watchdog while paused and {@link #restart()}s it after.
 * Touch, stop and the timer all run on the request's event loop.
 */
public final class IdleWatchdog {

    private final Vertx vertx;
    private final long limitNanos;
    private final Handler<Void> onIdle;
    private long last = System.nanoTime();
    private long timer = -1;
    private boolean stopped;
    private boolean fired;

    IdleWatchdog(Vertx vertx, long limitMillis, Handler<Void> onIdle) {
        this.vertx = vertx;
        this.limitNanos = limitMillis * 1_000_000;
        this.onIdle = onIdle;
        arm(limitMillis);
    }

    /** Bytes moved: the idle period starts again. */
    public void touch() {
        last = System.nanoTime();
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Runs again after {@link #stop()}, with a full idle period ahead. */
    public void restart() {
        if (fired) {
            return;
        }
        stop();
        stopped = false;
        touch();
        arm(limitNanos / 1_000_000);
    }

    private void arm(long delayMillis) {
        timer = vertx.setTimer(Math.max(1, delayMillis), id -> check());
    }

    private void check() {
        if (stopped) {
            return;
        }
        long idle = System.nanoTime() - last;
        if (idle >= limitNanos) {
            stopped = true;
            fired = true;
            onIdle.handle(null);
        } else {
            arm((limitNanos - idle) / 1_000_000 + 1);
        }
    }
}
