package dev.ferry.coordinator.api;

import dev.ferry.coordinator.event.EventIntake;
import dev.ferry.coordinator.health.HealthService;
import dev.ferry.coordinator.history.HistoryService;
import dev.ferry.coordinator.lease.Leases;
import dev.ferry.coordinator.preview.PolicyPreview;
import dev.ferry.coordinator.quota.LinkControl;
import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.status.StatusService;
import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The services behind the control API, one per group. Each resource is handed only its own
 * group; this record just carries them to {@link ControlApi}.
 *
 * @param metrics this member's metrics in the Prometheus text format
 * @param plans a policy's dry run by name ({@code POST /v1/policies/{name}/plan}); fails with a 404
 *     {@code ApiException} for an unknown policy
 */
public record ApiServices(
        StatusService status,
        RunService runs,
        Leases leases,
        HistoryService history,
        LinkControl links,
        HealthService health,
        EventIntake events,
        Supplier<String> metrics,
        Function<String, Future<PolicyPreview>> plans) {

    /** Services without plan previews: {@code POST /v1/policies/{name}/plan} answers 501. */
    public ApiServices(
            StatusService status,
            RunService runs,
            Leases leases,
            HistoryService history,
            LinkControl links,
            HealthService health,
            EventIntake events,
            Supplier<String> metrics) {
        this(
                status,
                runs,
                leases,
                history,
                links,
                health,
                events,
                metrics,
                name -> Future.failedFuture(new dev.ferry.coordinator.error.ApiException(
                        501, "not_implemented", "this coordinator plans no previews")));
    }
}
