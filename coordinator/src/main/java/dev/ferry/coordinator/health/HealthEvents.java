package dev.ferry.coordinator.health;

import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.metrics.FerryMetrics;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a change of a registry's health means to the outside: audit records, failover and
 * failback counters, log lines. Every step that changes a {@link HealthStore} entry reports the
 * change here, so each state change is recorded once, the same way.
 */
final class HealthEvents {

    /** Failover's parts log as one category, as before they were split. */
    private static final Logger LOG = LoggerFactory.getLogger(FailoverMonitor.class);

    private final AuditTrail audit;
    private final Supplier<FerryMetrics> metrics;

    HealthEvents(AuditTrail audit, Supplier<FerryMetrics> metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Audits and counts a change of state or of route membership; nothing when neither changed. */
    Future<Void> recorded(HealthStore.Change change, String actor) {
        RegistryHealth before = change.before();
        RegistryHealth after = change.after();
        if (after == null
                || (before != null && before.state() == after.state() && before.inRoutes() == after.inRoutes())) {
            return Future.succeededFuture();
        }
        Map<String, Object> details = new HashMap<>();
        details.put("from", before == null ? "unknown" : before.state().apiName());
        details.put("to", after.state().apiName());
        details.put("reason", after.reason());
        details.put("inRoutes", after.inRoutes());
        List<Future<Void>> records = new ArrayList<>();
        records.add(audit.record(actor, "registry.state", "registry/" + after.name(), details));
        if (before != null && before.inRoutes() && !after.inRoutes()) {
            String mode = after.manual() == null ? "auto" : after.manual().mode();
            metrics.get().failover(after.name(), mode);
            LOG.info("failover: {} leaves its routes ({}): {}", after.name(), mode, after.reason());
            records.add(audit.record(
                    actor,
                    "registry.failover",
                    "registry/" + after.name(),
                    Map.of("mode", mode, "reason", after.reason())));
        }
        LOG.info(
                "registry {} is {} ({}){}",
                after.name(),
                after.state().apiName(),
                after.reason(),
                after.inRoutes() ? "" : ", out of its routes");
        return Future.join(records).mapEmpty();
    }

    /** As {@link #recorded}, plus the failback record when the registry came back into its routes. */
    Future<Void> failedBack(HealthStore.Change change, String mode, String actor) {
        if (change.before() != null
                && !change.before().inRoutes()
                && change.after().inRoutes()) {
            metrics.get().failback(change.after().name(), mode);
            LOG.info("failback: {} is back in its routes ({})", change.after().name(), mode);
            return audit.record(
                            actor,
                            "registry.failback",
                            "registry/" + change.after().name(),
                            Map.of("mode", mode))
                    .compose(v -> recorded(change, actor));
        }
        return recorded(change, actor);
    }
}
