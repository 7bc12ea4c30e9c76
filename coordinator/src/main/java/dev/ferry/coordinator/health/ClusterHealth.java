package dev.ferry.coordinator.health;

import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link HealthService} over this member's failover monitor, the health store and route watch. */
public final class ClusterHealth implements HealthService {

    private final ReloadableSchedule schedule;
    private final FailoverMonitor failover;
    private final HealthStore store;
    private final RouteWatch routeWatch;

    public ClusterHealth(
            ReloadableSchedule schedule, FailoverMonitor failover, HealthStore store, RouteWatch routeWatch) {
        this.schedule = schedule;
        this.failover = failover;
        this.store = store;
        this.routeWatch = routeWatch;
    }

    @Override
    public Future<List<RegistryView>> registries() {
        return Future.succeededFuture(schedule.current().registries().stream()
                .map(r -> view(r.name(), store.health(r.name()).orElse(null)))
                .toList());
    }

    @Override
    public Future<RegistryView> takeOut(String registry, String mode, String reason, String actor) {
        return failover.takeOut(registry, mode, reason, actor).map(h -> view(registry, h));
    }

    @Override
    public Future<RegistryView> failback(String registry, boolean force, String actor) {
        return failover.failback(registry, force, actor).map(h -> view(registry, h));
    }

    @Override
    public Future<DrillReport> startDrill(String registry, Duration duration, String actor) {
        return failover.startDrill(registry, duration, actor);
    }

    @Override
    public Future<DrillReport> drill(String id) {
        return failover.drill(id).map(found -> found.orElseThrow(() -> ApiException.notFound("drill", id)));
    }

    @Override
    public Future<List<RouteView>> routes(String team, String workload, String region) {
        List<RouteView> out = new ArrayList<>();
        for (var route : schedule.current().routes()) {
            if ((team != null && !route.teams().isEmpty() && !route.teams().contains(team))
                    || (workload != null
                            && !route.workloads().isEmpty()
                            && !route.workloads().contains(workload))
                    || (region != null && !route.region().equals(region))) {
                continue;
            }
            store.route(route.name()).ifPresent(out::add);
        }
        return Future.succeededFuture(out);
    }

    @Override
    public Future<RouteView> route(String name, String etag, long waitMillis) {
        if (schedule.current().routes().stream().noneMatch(r -> r.name().equals(name))) {
            return Future.failedFuture(ApiException.notFound("route", name));
        }
        return routeWatch.await(name, etag, waitMillis);
    }

    private RegistryView view(String name, RegistryHealth h) {
        var config = schedule.current().registry(name).orElseThrow(() -> ApiException.notFound("registry", name));
        if (h == null) {
            return new RegistryView(
                    name,
                    config.url(),
                    config.region(),
                    "healthy",
                    "not probed yet",
                    null,
                    true,
                    null,
                    null,
                    0,
                    null,
                    null);
        }
        RegistryView.Probe probe = h.lastProbe() == null
                ? null
                : new RegistryView.Probe(
                        Instant.ofEpochMilli(h.lastProbe().at()),
                        h.lastProbe().latencyMillis(),
                        h.lastProbe().ok(),
                        h.lastProbe().status());
        RegistryView.OutOfService out = h.manual() == null
                ? null
                : new RegistryView.OutOfService(
                        h.manual().mode(),
                        h.manual().actor(),
                        h.manual().reason(),
                        Instant.ofEpochMilli(h.manual().at()),
                        h.manual().until() == 0
                                ? null
                                : Instant.ofEpochMilli(h.manual().until()),
                        h.manual().drillId());
        RegistryView.CatchUp catchUp = h.recovery() == null
                ? null
                : new RegistryView.CatchUp(
                        h.recovery().phase(),
                        h.recovery().runs(),
                        Instant.ofEpochMilli(h.recovery().startedAt()),
                        h.recovery().verifiedAt() == 0
                                ? null
                                : Instant.ofEpochMilli(h.recovery().verifiedAt()),
                        h.recovery().detail());
        return new RegistryView(
                name,
                config.url(),
                config.region(),
                h.state().apiName(),
                h.reason(),
                Instant.ofEpochMilli(h.since()),
                h.inRoutes(),
                h.holdsWrites(),
                probe,
                h.consecutiveFailures(),
                out,
                catchUp);
    }
}
