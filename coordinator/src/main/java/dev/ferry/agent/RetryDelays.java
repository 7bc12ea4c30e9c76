package dev.ferry.agent;

import java.time.Duration;

/**
 * How long the agent waits before it asks again. After an answer: at least {@link #MIN_SPACING}
 * since the last request began, so a server that answers at once cannot make it spin. After a
 * failure: 1 s, doubling up to {@link #MAX_BACKOFF}, spread by up to a fifth either way so
 * that the nodes of a cluster do not all come back at the same moment.
 */
final class RetryDelays {

    static final Duration MIN_SPACING = Duration.ofSeconds(1);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private RetryDelays() {}

    /** The pause after a successful request that took {@code took}. */
    static Duration afterAnswer(Duration took) {
        Duration rest = MIN_SPACING.minus(took);
        return rest.isNegative() ? Duration.ZERO : rest;
    }

    /**
     * @param failures consecutive failures so far, 1 or more
     * @param random a number in [0, 1), for the spread
     */
    static Duration afterFailure(int failures, double random) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 16);
        long millis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << doublings);
        double spread = 0.8 + 0.4 * random;
        return Duration.ofMillis((long) (millis * spread));
    }
}
