package dev.ferry.agent;

import dev.ferry.coordinator.health.RouteView;
import java.util.ArrayList;
import java.util.List;

/** Route answers for the agent's unit tests: mirrors in order, the last one the upstream. */
final class Routes {

    private Routes() {}

    /**
     * @param active the active mirror; every mirror named in {@code down} is down, the others eligible
     * @param mirrors {@code name=url} pairs, in the route's order
     */
    static RouteView route(String name, String active, List<String> down, String... mirrors) {
        List<RouteView.Candidate> candidates = new ArrayList<>();
        for (String m : mirrors) {
            String registry = m.substring(0, m.indexOf('='));
            String url = m.substring(m.indexOf('=') + 1);
            boolean isDown = down.contains(registry);
            candidates.add(new RouteView.Candidate(
                    registry,
                    url,
                    isDown ? "down" : "healthy",
                    !isDown,
                    true,
                    0,
                    0,
                    !isDown,
                    isDown ? "down: probes failed" : "healthy and in sync"));
        }
        String activeUrl = candidates.stream()
                .filter(c -> c.registry().equals(active))
                .map(RouteView.Candidate::url)
                .findFirst()
                .orElse(null);
        return new RouteView(name, "eu-west", List.of(), List.of(), active, activeUrl, "test", candidates, 1L);
    }
}
