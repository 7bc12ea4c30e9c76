package dev.ferry.config.model;

import java.time.Duration;

/**
 * How a worker retries one request to a registry that failed temporarily (a network error,
 * 408, 429 or 5xx). Attempt n waits a random time between half and all of
 * {@code initialBackoff * 2^(n-1)}, capped at {@code maxBackoff}, and never less than a
 * {@code Retry-After} the registry sent.
 *
 * @param maxAttempts tries per request, the first included; 1 turns retries off
 */
public record RetryConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public static RetryConfig defaults() {
        return new RetryConfig(5, Duration.ofMillis(500), Duration.ofSeconds(30));
    }
}
