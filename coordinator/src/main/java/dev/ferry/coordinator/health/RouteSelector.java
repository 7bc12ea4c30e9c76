package dev.ferry.coordinator.health;

import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.units.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses each route's active mirror: the first one, in the route's order, that is healthy,
 * in its routes (not failed over, not catching up) and in sync (lag under {@code maxLag},
 * no drifted tags). When none is, consumers are sent to the first mirror that still answers,
 * and the reason says so.
 */
public final class RouteSelector {

    private RouteSelector() {}

    /** What the selector knows about one registry besides its health. */
    public record Sync(double lagSeconds, int driftedTags) {
        public static final Sync NONE = new Sync(0, 0);
    }

    public static RouteView select(
            RouteConfig route,
            Map<String, RegistryHealth> health,
            Map<String, Sync> sync,
            Map<String, String> urls,
            RouteView previous,
            long now) {
        List<RouteView.Candidate> candidates = new ArrayList<>();
        for (String mirror : route.mirrors()) {
            RegistryHealth h = health.getOrDefault(mirror, RegistryHealth.initial(mirror, now));
            Sync s = sync.getOrDefault(mirror, Sync.NONE);
            candidates.add(candidate(route, h, s, urls.get(mirror)));
        }
        String active = null;
        String reason;
        RouteView.Candidate first = candidates.stream()
                .filter(RouteView.Candidate::eligible)
                .findFirst()
                .orElse(null);
        if (first != null) {
            active = first.registry();
            reason = first == candidates.get(0)
                    ? active + " is the preferred mirror and is healthy and in sync"
                    : active + " is the first healthy, in-sync mirror; skipped: " + skipped(candidates, first);
        } else {
            RouteView.Candidate reachable = candidates.stream()
                    .filter(c -> c.inRoutes()
                            && !c.state().equals(HealthState.DOWN.apiName())
                            && !c.state().equals(HealthState.OUT_OF_SERVICE.apiName()))
                    .findFirst()
                    .orElse(null);
            if (reachable != null) {
                active = reachable.registry();
                reason = "no mirror is healthy and in sync; " + active + " still answers (" + reachable.reason() + ")";
            } else {
                reason = "no mirror can serve: " + skipped(candidates, null);
            }
        }
        String activeUrl = active == null ? null : urls.get(active);
        RouteView view = new RouteView(
                route.name(),
                route.region(),
                route.teams(),
                route.workloads(),
                active,
                activeUrl,
                reason,
                candidates,
                now);
        return view.sameChoice(previous)
                ? new RouteView(
                        view.name(),
                        view.region(),
                        view.teams(),
                        view.workloads(),
                        active,
                        activeUrl,
                        reason,
                        candidates,
                        previous.changedAt())
                : view;
    }

    private static RouteView.Candidate candidate(RouteConfig route, RegistryHealth h, Sync s, String url) {
        Duration maxLag = route.maxLag();
        boolean lagging = s.lagSeconds() * 1000 >= maxLag.toMillis();
        boolean inSync = !lagging && s.driftedTags() == 0;
        boolean healthy = h.state() == HealthState.HEALTHY;
        boolean eligible = healthy && h.inRoutes() && inSync;
        String reason;
        if (!healthy) {
            reason = h.state().apiName() + ": " + h.reason();
        } else if (!h.inRoutes()) {
            Recovery r = h.recovery();
            reason = r == null
                    ? "failed over; waiting for its failback"
                    : "recovering: catch-up " + r.phase() + (r.detail() == null ? "" : " (" + r.detail() + ")");
        } else if (lagging) {
            reason = "replication lag " + Durations.format(Duration.ofSeconds((long) s.lagSeconds()))
                    + " is not under maxLag " + Durations.format(maxLag);
        } else if (s.driftedTags() > 0) {
            reason = s.driftedTags() + " drifted tag(s) outstanding";
        } else {
            reason = "healthy and in sync";
        }
        return new RouteView.Candidate(
                h.name(),
                url,
                h.state().apiName(),
                h.inRoutes(),
                inSync,
                s.lagSeconds(),
                s.driftedTags(),
                eligible,
                reason,
                route.tierOf(h.name()).yamlName());
    }

    private static String skipped(List<RouteView.Candidate> candidates, RouteView.Candidate upTo) {
        List<String> out = new ArrayList<>();
        for (RouteView.Candidate c : candidates) {
            if (c == upTo) {
                break;
            }
            out.add(c.registry() + " (" + c.reason() + ")");
        }
        return String.join("; ", out);
    }
}
