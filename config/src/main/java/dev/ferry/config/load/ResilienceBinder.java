package dev.ferry.config.load;

import dev.ferry.config.model.CircuitBreakerConfig;
import dev.ferry.config.model.RetryConfig;
import dev.ferry.config.model.TimeoutsConfig;
import dev.ferry.config.units.Durations;
import java.time.Duration;

/**
 * Binds a registry's {@code retry:}, {@code circuitBreaker:} and {@code timeouts:} blocks.
 * Each field left out takes its default, so a block may set just the one value it changes.
 */
final class ResilienceBinder {

    private ResilienceBinder() {}

    static RetryConfig retry(Section s) {
        RetryConfig d = RetryConfig.defaults();
        if (s == null) {
            return d;
        }
        Integer attempts = s.integer("maxAttempts", 1, 20);
        Duration initial = Values.or(Values.duration(s, "initialBackoff", Duration.ofMillis(10)), d.initialBackoff());
        Duration max = Values.or(Values.duration(s, "maxBackoff", Duration.ofMillis(10)), d.maxBackoff());
        if (max.compareTo(initial) < 0) {
            s.problem(
                    s.has("maxBackoff") ? "maxBackoff" : "initialBackoff",
                    "maxBackoff (" + Durations.format(max) + ") must be at least initialBackoff ("
                            + Durations.format(initial) + ")");
        }
        return new RetryConfig(Values.or(attempts, d.maxAttempts()), initial, max);
    }

    static CircuitBreakerConfig circuitBreaker(Section s) {
        CircuitBreakerConfig d = CircuitBreakerConfig.defaults();
        if (s == null) {
            return d;
        }
        Integer threshold = s.integer("failureRateThreshold", 1, 100);
        Integer minimumCalls = s.integer("minimumCalls", 1, 1000);
        Duration openFor = Values.duration(s, "openFor", Duration.ofSeconds(1));
        return new CircuitBreakerConfig(
                Values.or(threshold, d.failureRateThreshold()),
                Values.or(minimumCalls, d.minimumCalls()),
                Values.or(openFor, d.openFor()));
    }

    static TimeoutsConfig timeouts(Section s) {
        TimeoutsConfig d = TimeoutsConfig.defaults();
        if (s == null) {
            return d;
        }
        Duration connect = Values.duration(s, "connect", Duration.ofMillis(100));
        Duration firstByte = Values.duration(s, "firstByte", Duration.ofSeconds(1));
        Duration idle = Values.duration(s, "idle", Duration.ofSeconds(1));
        return new TimeoutsConfig(
                Values.or(connect, d.connect()), Values.or(firstByte, d.firstByte()), Values.or(idle, d.idle()));
    }
}
