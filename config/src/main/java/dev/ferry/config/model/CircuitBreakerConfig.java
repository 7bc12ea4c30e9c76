package dev.ferry.config.model;

import java.time.Duration;

/**
 * When a worker stops calling a registry that keeps failing. It judges the last
 * {@code minimumCalls} calls; when at least {@code failureRateThreshold} percent of them
 * failed temporarily (429s aside: a registry that throttles is up), the breaker opens. Jobs
 * touching the registry are then held, not failed, for {@code openFor}; after that a few
 * trial calls decide whether it closes again.
 */
public record CircuitBreakerConfig(int failureRateThreshold, int minimumCalls, Duration openFor) {

    public static CircuitBreakerConfig defaults() {
        return new CircuitBreakerConfig(50, 5, Duration.ofSeconds(30));
    }
}
