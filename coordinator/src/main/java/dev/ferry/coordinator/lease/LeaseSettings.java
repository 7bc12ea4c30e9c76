package dev.ferry.coordinator.lease;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * @param ttl how long a lease lives without a renew
 * @param tierWeights lease share per tier, highest priority first; also the weights a
 *     link's bandwidth quota is split by
 * @param quotaRenewInterval how often a lease on a link with a quota renews, and so how fast
 *     bandwidth shares follow leases that come and go
 */
public record LeaseSettings(
        Duration ttl, Map<String, Integer> tierWeights, Duration sweepInterval, Duration quotaRenewInterval) {

    public LeaseSettings(Duration ttl, Map<String, Integer> tierWeights, Duration sweepInterval) {
        this(ttl, tierWeights, sweepInterval, Duration.ofMillis(500));
    }

    public static LeaseSettings defaults() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("critical", 8);
        weights.put("high", 4);
        weights.put("normal", 2);
        weights.put("bulk", 1);
        return new LeaseSettings(Duration.ofSeconds(15), weights, Duration.ofSeconds(1));
    }
}
