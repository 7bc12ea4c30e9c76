package dev.ferry.worker.copy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The bandwidth share of one lease, shared by every blob stream of its copy. It paces
 * bytes with a virtual schedule (the generic cell rate algorithm): each chunk moves a
 * theoretical arrival time forward by {@code bytes / rate}; a stream whose chunk lands
 * more than {@link #TOLERANCE_NANOS} ahead of now must pause for the difference. Over any
 * interval no more than {@code rate * (interval + tolerance)} bytes pass, however many
 * streams draw from it, and an idle throttle banks no credit beyond the tolerance.
 *
 * <p>The rate can change at any time (the coordinator revises shares on every renew);
 * {@code 0} means unlimited. Streams also learn here that their copy was cancelled.
 * Thread-safe; it never blocks, it only says how long to wait.
 */
public final class Throttle {

    /** How far ahead of real time a stream may run before it pauses; also the burst size. */
    static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final AtomicLong bytes = new AtomicLong();
    private final List<Consumer<Throwable>> cancelListeners = new CopyOnWriteArrayList<>();
    private volatile long bytesPerSecond;
    private volatile Throwable cancelled;
    private long theoreticalArrival;
    private boolean started;

    public Throttle(long bytesPerSecond, LongSupplier nanoClock) {
        this.bytesPerSecond = Math.max(0, bytesPerSecond);
        this.nanoClock = nanoClock;
    }

    /** A throttle on real time. */
    public static Throttle of(long bytesPerSecond) {
        return new Throttle(bytesPerSecond, System::nanoTime);
    }

    /** One that never holds a stream back (copies outside a lease, such as {@code ferry copy}). */
    public static Throttle unlimited() {
        return of(0);
    }

    /** Bytes per second; 0 means unlimited. */
    public long rate() {
        return bytesPerSecond;
    }

    /**
     * Changes the rate. Bytes already paced at the old rate but not yet due are re-paced at
     * the new one, so a stream held back by a tiny share does not stay paused for long once
     * its share grows.
     */
    public void rate(long newBytesPerSecond) {
        long next = Math.max(0, newBytesPerSecond);
        synchronized (this) {
            long old = bytesPerSecond;
            if (started && old > 0 && next > 0 && old != next) {
                long now = nanoClock.getAsLong();
                long ahead = theoreticalArrival - now;
                if (ahead > 0) {
                    theoreticalArrival = now + (long) (ahead * ((double) old / next));
                }
            } else if (next == 0) {
                started = false;
            }
            this.bytesPerSecond = next;
        }
    }

    /** The throttle's clock, in nanoseconds. */
    long now() {
        return nanoClock.getAsLong();
    }

    /** Every byte that passed, throttled or not. */
    public long bytes() {
        return bytes.get();
    }

    /**
     * Accounts for {@code n} bytes that just passed and answers how many nanoseconds the
     * stream should now pause (0: carry on).
     */
    public long take(long n) {
        bytes.addAndGet(n);
        long rate = bytesPerSecond;
        if (rate <= 0) {
            return 0;
        }
        long cost = Math.max(1, n * NANOS_PER_SECOND / rate);
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (!started || theoreticalArrival - now < 0) {
                theoreticalArrival = now;
                started = true;
            }
            theoreticalArrival += cost;
            long ahead = theoreticalArrival - now;
            return ahead > TOLERANCE_NANOS ? ahead - TOLERANCE_NANOS : 0;
        }
    }

    /** Stops every stream drawing from this throttle, now and from now on, with {@code cause}. */
    public void cancel(Throwable cause) {
        if (cancelled != null) {
            return;
        }
        cancelled = cause;
        for (Consumer<Throwable> l : cancelListeners) {
            l.accept(cause);
        }
    }

    /** Why the copy was cancelled, or null. */
    public Throwable cancelled() {
        return cancelled;
    }

    void onCancel(Consumer<Throwable> listener) {
        cancelListeners.add(listener);
        Throwable c = cancelled;
        if (c != null) {
            listener.accept(c);
        }
    }

    void removeCancelListener(Consumer<Throwable> listener) {
        cancelListeners.remove(listener);
    }
}
