package dev.ferry.worker.lease;

import java.time.Duration;

/** Doubling delays between attempts, from {@code min} up to {@code max}; reset after a success. */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " and " + max);
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = minMillis;
    }

    /** The delay before the next attempt; each call doubles the one after it. */
    long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay;
    }

    void reset() {
        nextMillis = minMillis;
    }
}
