package dev.ferry.worker.copy;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A blob stream paced by a {@link Throttle}: after each chunk it asks the throttle how long
 * to wait and, when it must, pauses the source and resumes it from a timer. Nothing sleeps,
 * and the consumer's own pauses (backpressure from the upload) are kept apart from the
 * throttle's, so neither resumes what the other paused. A cancelled throttle fails the
 * stream at once, even while it waits.
 */
final class ThrottledReadStream implements ReadStream<Buffer> {

    static final long MAX_STEP_MILLIS = 200;

    private final Vertx vertx;
    private final Context context;
    private final ReadStream<Buffer> source;
    private final Throttle throttle;
    private final Consumer<Throwable> cancelListener;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean consumerPaused;
    private boolean throttlePaused;
    private long timer = -1;
    private long pendingFetch;
    private long dueNanos;
    private long dueRate;
    private boolean done;
    private Throwable failure;

    ThrottledReadStream(Vertx vertx, ReadStream<Buffer> source, Throttle throttle) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.source = source;
        this.throttle = throttle;
        source.handler(this::onData);
        source.endHandler(v -> {
            if (finish()) {
                Handler<Void> h = endHandler;
                if (h != null) {
                    h.handle(null);
                }
            }
        });
        source.exceptionHandler(this::fail);
        this.cancelListener = cause -> context.runOnContext(v -> {
            source.pause();
            fail(cause);
        });
        throttle.onCancel(cancelListener);
    }

    private void onData(Buffer chunk) {
        if (done) {
            return;
        }
        long waitNanos = throttle.take(chunk.length());
        Handler<Buffer> h = handler;
        if (h != null) {
            h.handle(chunk);
        }
        if (waitNanos > 0 && !done) {
            throttlePaused = true;
            source.pause();
            dueNanos = throttle.now() + waitNanos;
            dueRate = throttle.rate();
            waitFor(waitNanos);
        }
    }

    /**
     * Waits in steps of at most {@link #MAX_STEP_MILLIS}. After each step the rest of the wait
     * is re-paced if the rate changed meanwhile, so a share that grew takes effect within a
     * step rather than after a wait computed at a tiny share.
     */
    private void waitFor(long nanos) {
        long millis = Math.max(1, Math.min(MAX_STEP_MILLIS, TimeUnit.NANOSECONDS.toMillis(nanos)));
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(millis, id -> {
            timer = -1;
            if (done) {
                return;
            }
            long now = throttle.now();
            long rate = throttle.rate();
            long still = dueNanos - now;
            if (rate <= 0) {
                still = 0;
            } else if (rate != dueRate && still > 0) {
                still = (long) (still * ((double) dueRate / rate));
                dueNanos = now + still;
                dueRate = rate;
            }
            if (still >= TimeUnit.MILLISECONDS.toNanos(1)) {
                waitFor(still);
                return;
            }
            throttlePaused = false;
            if (!consumerPaused) {
                source.resume();
            } else if (pendingFetch > 0) {
                long n = pendingFetch;
                pendingFetch = 0;
                source.fetch(n);
            }
        });
    }

    private void fail(Throwable cause) {
        if (finish()) {
            failure = cause;
            Handler<Throwable> h = exceptionHandler;
            if (h != null) {
                h.handle(cause);
            }
        }
    }

    /** True the first time: the stream ends exactly once, by end, failure or cancel. */
    private boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        throttle.removeCancelListener(cancelListener);
        return true;
    }

    /** A handler set after the stream failed (a cancel before the upload began) hears of it at once. */
    @Override
    public ThrottledReadStream exceptionHandler(Handler<Throwable> h) {
        this.exceptionHandler = h;
        if (h != null && failure != null) {
            h.handle(failure);
        }
        return this;
    }

    @Override
    public ThrottledReadStream handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public ThrottledReadStream pause() {
        consumerPaused = true;
        source.pause();
        return this;
    }

    @Override
    public ThrottledReadStream resume() {
        consumerPaused = false;
        if (!throttlePaused) {
            source.resume();
        }
        return this;
    }

    @Override
    public ThrottledReadStream fetch(long amount) {
        if (throttlePaused) {
            pendingFetch += amount;
        } else {
            source.fetch(amount);
        }
        return this;
    }

    @Override
    public ThrottledReadStream endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }
}
