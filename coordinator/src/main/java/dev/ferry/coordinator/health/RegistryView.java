package dev.ferry.coordinator.health;

import java.time.Instant;
import java.util.List;

/**
 * A registry's health as the cluster agrees on it, as the API shows it.
 *
 * @param state healthy, degraded, down or out-of-service
 * @param inRoutes whether it may be a route's active mirror (false from failover to failback)
 * @param holdsWrites why jobs writing to it are held now; null when they are not
 * @param outOfService set while an operator holds it out (failover, drain, drill)
 * @param catchUp set while it works its way back into its routes
 */
public record RegistryView(
        String name,
        String url,
        String region,
        String state,
        String reason,
        Instant since,
        boolean inRoutes,
        String holdsWrites,
        Probe lastProbe,
        int consecutiveFailures,
        OutOfService outOfService,
        CatchUp catchUp) {

    public record Probe(Instant at, long latencyMillis, boolean ok, String status) {}

    public record OutOfService(String mode, String actor, String reason, Instant at, Instant until, String drill) {}

    public record CatchUp(String phase, List<String> runs, Instant startedAt, Instant verifiedAt, String detail) {}
}
