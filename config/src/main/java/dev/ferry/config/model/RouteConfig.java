package dev.ferry.config.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Consumers of one team or workload in one region, and their mirrors in order of preference.
 *
 * @param teams labels: teams whose consumers follow this route (empty: any)
 * @param workloads labels: workloads whose consumers follow this route (empty: any)
 * @param maxLag a mirror whose replication lag is at least this is not in sync, so not active
 * @param tiers mirror to its cache tier; a mirror not in the map is {@link MirrorTier#HOT}
 */
public record RouteConfig(
        String name,
        String region,
        List<String> mirrors,
        List<String> teams,
        List<String> workloads,
        Duration maxLag,
        Map<String, MirrorTier> tiers) {

    public static final Duration DEFAULT_MAX_LAG = Duration.ofMinutes(10);

    public RouteConfig {
        mirrors = List.copyOf(mirrors);
        teams = teams == null ? List.of() : List.copyOf(teams);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
        maxLag = maxLag == null ? DEFAULT_MAX_LAG : maxLag;
        tiers = tiers == null ? Map.of() : Map.copyOf(tiers);
    }

    public RouteConfig(
            String name,
            String region,
            List<String> mirrors,
            List<String> teams,
            List<String> workloads,
            Duration maxLag) {
        this(name, region, mirrors, teams, workloads, maxLag, Map.of());
    }

    /** The tier of {@code mirror} on this route: as written in {@code tiers:}, else hot. */
    public MirrorTier tierOf(String mirror) {
        return tiers.getOrDefault(mirror, MirrorTier.HOT);
    }

    public RouteConfig(String name, String region, List<String> mirrors) {
        this(name, region, mirrors, List.of(), List.of(), DEFAULT_MAX_LAG);
    }
}
