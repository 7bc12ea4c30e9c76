package dev.ferry.coordinator.health;

import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.history.Drift;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.metrics.ReplicationLag;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes every route's view ({@link RouteSelector}) from the shared health, the replication
 * lag and the drift found, stores the views that changed, and audits a change of a route's
 * active mirror. Any member may call it; the views land in {@link HealthStore}.
 */
final class RouteRefresher {

    /** Failover's parts log as one category, as before they were split. */
    private static final Logger LOG = LoggerFactory.getLogger(FailoverMonitor.class);

    private final HealthStore store;
    private final ReplicationLag lag;
    private final DriftService drift;
    private final AuditTrail audit;
    private final Clock clock;

    RouteRefresher(HealthStore store, ReplicationLag lag, DriftService drift, AuditTrail audit, Clock clock) {
        this.store = store;
        this.lag = lag;
        this.drift = drift;
        this.audit = audit;
        this.clock = clock;
    }

    Future<Void> refresh(Schedule s) {
        if (s.routes().isEmpty()) {
            return Future.succeededFuture();
        }
        return lag.refresh()
                .compose(lagByKey -> drift.list(null).map(drifted -> syncByRegistry(s, lagByKey, drifted)))
                .compose(sync -> {
                    Map<String, String> urls = new HashMap<>();
                    s.registries().forEach(r -> urls.put(r.name(), r.url()));
                    Map<String, RegistryHealth> health = store.allHealth();
                    long now = clock.millis();
                    List<Future<Boolean>> puts = new ArrayList<>();
                    for (RouteConfig route : s.routes()) {
                        RouteView previous = store.route(route.name()).orElse(null);
                        RouteView view = RouteSelector.select(route, health, sync, urls, previous, now);
                        if (previous != null
                                && !view.sameChoice(previous)
                                && !Objects.equals(previous.active(), view.active())) {
                            LOG.info(
                                    "route {}: active {} -> {} ({})",
                                    route.name(),
                                    previous.active(),
                                    view.active(),
                                    view.reason());
                            audit.record(
                                    FailoverMonitor.SYSTEM,
                                    "route.switch",
                                    "route/" + route.name(),
                                    Map.of(
                                            "from",
                                            String.valueOf(previous.active()),
                                            "to",
                                            String.valueOf(view.active()),
                                            "reason",
                                            view.reason(),
                                            "eligible",
                                            view.activeEligible()));
                        } else if (previous != null && previous.activeEligible() != view.activeEligible()) {
                            // The same mirror stays active but is no longer (or again) healthy and in sync:
                            // compliance reports measure each route's time without an eligible mirror from these.
                            audit.record(
                                    FailoverMonitor.SYSTEM,
                                    "route.eligibility",
                                    "route/" + route.name(),
                                    Map.of(
                                            "active",
                                            String.valueOf(view.active()),
                                            "eligible",
                                            view.activeEligible(),
                                            "reason",
                                            view.reason()));
                        }
                        if (!view.equals(previous)) {
                            puts.add(store.putRoute(view));
                        }
                    }
                    return Future.join(puts).mapEmpty();
                });
    }

    /** Each route's active mirror, by route name. */
    Map<String, String> activeByRoute() {
        Map<String, String> out = new HashMap<>();
        store.allRoutes().forEach((name, view) -> out.put(name, view.active()));
        return out;
    }

    private static Map<String, RouteSelector.Sync> syncByRegistry(
            Schedule s, Map<String, Double> lagByKey, List<Drift> drifted) {
        Map<String, Double> worstLag = new HashMap<>();
        lagByKey.forEach((key, seconds) -> worstLag.merge(key.substring(key.indexOf('|') + 1), seconds, Math::max));
        Map<String, Integer> drifts = new HashMap<>();
        drifted.forEach(d -> drifts.merge(d.registry(), 1, Integer::sum));
        Map<String, RouteSelector.Sync> out = new HashMap<>();
        for (RegistryConfig r : s.registries()) {
            out.put(
                    r.name(),
                    new RouteSelector.Sync(worstLag.getOrDefault(r.name(), 0.0), drifts.getOrDefault(r.name(), 0)));
        }
        return out;
    }
}
