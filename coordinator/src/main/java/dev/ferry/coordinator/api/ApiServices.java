package dev.ferry.coordinator.api;

import dev.ferry.coordinator.event.EventIntake;
import dev.ferry.coordinator.health.HealthService;
import dev.ferry.coordinator.history.HistoryService;
import dev.ferry.coordinator.lease.Leases;
import dev.ferry.coordinator.quota.LinkControl;
import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.status.StatusService;
import java.util.function.Supplier;

/**
 * The services behind the control API, one per group. Each resource is handed only its own
 * group; this record just carries them to {@link ControlApi}.
 *
 * @param metrics this member's metrics in the Prometheus text format
 */
public record ApiServices(StatusService status, RunService runs, Leases leases, HistoryService history,
    LinkControl links, HealthService health, EventIntake events, Supplier<String> metrics) {}
