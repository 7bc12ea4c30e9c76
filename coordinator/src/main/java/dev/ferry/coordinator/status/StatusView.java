package dev.ferry.coordinator.status;

import dev.ferry.coordinator.health.RegistryView;
import dev.ferry.coordinator.health.RouteView;
import dev.ferry.coordinator.lease.SeenWorkers;
import dev.ferry.coordinator.run.RunViews;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/status}: the cluster at a glance.
 *
 * @param queues per tier, per job state, how many jobs
 * @param activeRuns runs that have not ended
 */
public record StatusView(
        String member,
        List<String> members,
        List<SeenWorkers.Worker> workers,
        Map<String, Map<String, Integer>> queues,
        List<RunViews.Run> activeRuns,
        boolean ready,
        List<RegistryView> registries,
        List<RouteView> routes) {}
