package dev.ferry.coordinator.health;

import java.util.Locale;

/** What Ferry believes about a registry. */
public enum HealthState {
    /** Probes answer, fast enough. */
    HEALTHY,
    /** Probes answer, but too many of the recent ones were slow or failed, or a worker's breaker is open. */
    DEGRADED,
    /** {@code failover.downAfter} probes in a row failed. */
    DOWN,
    /** Taken out by an operator: a manual failover, a drain or a drill. */
    OUT_OF_SERVICE;

    /** The name the API, the CLI and metrics use: {@code healthy}, {@code out-of-service}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
