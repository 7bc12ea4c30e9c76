package dev.ferry.worker.resilience;

import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.common.lease.LeaseProtocol.TimeoutLimits;
import java.time.Duration;

/**
 * How this worker treats one registry, read from the limits a lease carries. Any part the
 * lease leaves out takes the schedule's default, so a worker copes with an older coordinator.
 *
 * @param requestsPerSecond 0 when unlimited
 * @param maxConcurrency 0 when unlimited
 */
public record ResilienceSettings(
        int requestsPerSecond,
        int maxConcurrency,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int failureRateThreshold,
        int minimumCalls,
        Duration openFor,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout) {

    /** The schedule's defaults (config's RetryConfig, CircuitBreakerConfig, TimeoutsConfig), no caps. */
    public static ResilienceSettings defaults() {
        return of(null);
    }

    public static ResilienceSettings of(Limits limits) {
        Limits l = limits != null ? limits : new Limits(null, null, null, null, null);
        RetryLimits r = l.retry() != null ? l.retry() : new RetryLimits(5, 500, 30_000);
        BreakerLimits b = l.circuitBreaker() != null ? l.circuitBreaker() : new BreakerLimits(50, 5, 30_000);
        TimeoutLimits t = l.timeouts() != null ? l.timeouts() : new TimeoutLimits(10_000, 60_000, 120_000);
        return new ResilienceSettings(
                positive(l.requestsPerSecond()),
                positive(l.maxConcurrency()),
                Math.max(1, r.maxAttempts()),
                millis(r.initialBackoffMillis(), 10),
                millis(r.maxBackoffMillis(), 10),
                Math.min(100, Math.max(1, b.failureRateThreshold())),
                Math.max(1, b.minimumCalls()),
                millis(b.openForMillis(), 1_000),
                millis(t.connectMillis(), 100),
                millis(t.firstByteMillis(), 1_000),
                millis(t.idleMillis(), 1_000));
    }

    private static int positive(Integer n) {
        return n == null || n < 0 ? 0 : n;
    }

    /** A lease is input from the network: keep durations sane rather than trust them. */
    private static Duration millis(long value, long floor) {
        return Duration.ofMillis(Math.max(floor, value));
    }
}
