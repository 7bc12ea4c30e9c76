package dev.ferry.coordinator.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A route as consumers see it: the active mirror, every candidate in preference order with
 * why it is or is not eligible, and when the choice last changed.
 *
 * @param active the registry consumers should pull from; null when none is reachable
 * @param changedAt when the choice (active mirror or any candidate's eligibility) last changed
 */
public record RouteView(
        String name,
        String region,
        List<String> teams,
        List<String> workloads,
        String active,
        String activeUrl,
        String reason,
        List<Candidate> candidates,
        long changedAt)
        implements Serializable {

    /**
     * @param eligible healthy, in its routes and in sync: may be active
     * @param lagSeconds the highest replication lag of the policies that target it
     * @param driftedTags tags found drifted by the last drift checks
     * @param tier {@code hot} or {@code cold}, from the route's {@code tiers:}: what pre-warming and ttl do there
     */
    public record Candidate(
            String registry,
            String url,
            String state,
            boolean inRoutes,
            boolean inSync,
            double lagSeconds,
            int driftedTags,
            boolean eligible,
            String reason,
            String tier)
            implements Serializable {

        /** A candidate on a route without tiers: hot. */
        public Candidate(
                String registry,
                String url,
                String state,
                boolean inRoutes,
                boolean inSync,
                double lagSeconds,
                int driftedTags,
                boolean eligible,
                String reason) {
            this(registry, url, state, inRoutes, inSync, lagSeconds, driftedTags, eligible, reason, "hot");
        }

        String choiceKey() {
            return registry + "|" + url + "|" + state + "|" + inRoutes + "|" + inSync + "|" + eligible;
        }
    }

    public RouteView {
        teams = List.copyOf(teams);
        workloads = List.copyOf(workloads);
        candidates = List.copyOf(candidates);
    }

    /** The candidates consumers may use, active first: eligible ones, then the active fallback. */
    @JsonIgnore
    public List<Candidate> usable() {
        return candidates.stream()
                .filter(c -> c.eligible() || c.registry().equals(active))
                .sorted((a, b) -> Boolean.compare(
                        !a.registry().equals(active), !b.registry().equals(active)))
                .toList();
    }

    /** True when {@code other} makes the same choice, so consumers need not hear of a change. */
    /** Whether the active mirror is an eligible one (healthy, in its routes, in sync); false without one. */
    public boolean activeEligible() {
        return active != null && candidates.stream().anyMatch(c -> c.registry().equals(active) && c.eligible());
    }

    public boolean sameChoice(RouteView other) {
        return other != null && choiceKey().equals(other.choiceKey());
    }

    /** Changes exactly when the choice changes: every member computes the same tag from the same view. */
    @JsonIgnore
    public String etag() {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(choiceKey().getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String choiceKey() {
        StringBuilder key = new StringBuilder(name).append('|').append(Objects.toString(active));
        candidates.forEach(c -> key.append('|').append(c.choiceKey()));
        return key.toString();
    }
}
