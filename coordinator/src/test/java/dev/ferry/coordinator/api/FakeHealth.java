package dev.ferry.coordinator.api;

import static dev.ferry.coordinator.api.Fakes.T0;
import static dev.ferry.coordinator.api.Fakes.T1;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.health.DrillReport;
import dev.ferry.coordinator.health.HealthService;
import dev.ferry.coordinator.health.RegistryView;
import dev.ferry.coordinator.health.RouteView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Registries "mirror-eu" and "hub-eu", route "ci-eu"; {@link #switchRoute} fails the route over. */
final class FakeHealth implements HealthService {

    volatile String lastRegistryAction;
    private volatile RouteView currentRoute = route("ci-eu", "mirror-eu");
    private final List<Promise<RouteView>> routeWaiters = new CopyOnWriteArrayList<>();

    static RegistryView registry(String name, String state, boolean inRoutes) {
        return new RegistryView(
                name,
                "https://" + name + ".example.com",
                "eu-west",
                state,
                "answers probes",
                T0,
                inRoutes,
                null,
                new RegistryView.Probe(T1, 12, true, "200"),
                0,
                null,
                null);
    }

    static RouteView route(String name, String active) {
        return new RouteView(
                name,
                "eu-west",
                List.of("payments"),
                List.of(),
                active,
                "https://" + active + ".example.com",
                active + " is the first healthy, in-sync mirror",
                List.of(
                        new RouteView.Candidate(
                                "mirror-eu",
                                "https://mirror-eu.example.com",
                                "healthy",
                                true,
                                true,
                                0,
                                0,
                                active.equals("mirror-eu"),
                                "healthy and in sync"),
                        new RouteView.Candidate(
                                "hub-eu",
                                "https://hub-eu.example.com",
                                "healthy",
                                true,
                                true,
                                0,
                                0,
                                true,
                                "healthy and in sync")),
                T0.toEpochMilli());
    }

    /** Switches route ci-eu's active mirror, waking long polls, as a failover would. */
    void switchRoute(String active) {
        currentRoute = route("ci-eu", active);
        for (Promise<RouteView> p : routeWaiters) {
            routeWaiters.remove(p);
            p.tryComplete(currentRoute);
        }
    }

    private Future<RegistryView> known(String name) {
        return name.equals("mirror-eu") || name.equals("hub-eu")
                ? Future.succeededFuture(registry(name, "healthy", true))
                : Future.failedFuture(ApiException.notFound("registry", name));
    }

    @Override
    public Future<List<RegistryView>> registries() {
        return Future.succeededFuture(
                List.of(registry("mirror-eu", "healthy", true), registry("hub-eu", "down", false)));
    }

    @Override
    public Future<RegistryView> takeOut(String registry, String mode, String reason, String actor) {
        return known(registry).map(r -> {
            lastRegistryAction = mode + "|" + registry + "|" + reason + "|" + actor;
            return registry(registry, "out-of-service", false);
        });
    }

    @Override
    public Future<RegistryView> failback(String registry, boolean force, String actor) {
        return known(registry).compose(r -> {
            lastRegistryAction = "failback|" + registry + "|" + force + "|" + actor;
            return force
                    ? Future.succeededFuture(registry(registry, "healthy", true))
                    : Future.failedFuture(new ApiException(
                            409,
                            "catch_up_pending",
                            "catch-up of " + registry
                                    + " is catching-up; fail back when it is verified, or use --force"));
        });
    }

    @Override
    public Future<DrillReport> startDrill(String registry, Duration duration, String actor) {
        return known(registry)
                .map(r -> new DrillReport(
                        "drill-1",
                        registry,
                        actor,
                        T0.toEpochMilli(),
                        duration.toMillis(),
                        List.of(new DrillReport.Switch("ci-eu", "mirror-eu", "hub-eu")),
                        DrillReport.RUNNING,
                        0,
                        0,
                        0,
                        0,
                        "running",
                        0));
    }

    @Override
    public Future<DrillReport> drill(String id) {
        return id.equals("drill-1")
                ? Future.succeededFuture(new DrillReport(
                        "drill-1",
                        "mirror-eu",
                        "alice",
                        T0.toEpochMilli(),
                        60_000,
                        List.of(new DrillReport.Switch("ci-eu", "mirror-eu", "hub-eu")),
                        DrillReport.PASSED,
                        T1.toEpochMilli(),
                        2,
                        0,
                        1500,
                        "caught up; no drift",
                        0))
                : Future.failedFuture(ApiException.notFound("drill", id));
    }

    @Override
    public Future<List<RouteView>> routes(String team, String workload, String region) {
        boolean match = (team == null || team.equals("payments"))
                && workload == null
                && (region == null || region.equals("eu-west"));
        return Future.succeededFuture(match ? List.of(currentRoute) : List.of());
    }

    @Override
    public Future<RouteView> route(String name, String etag, long waitMillis) {
        if (!name.equals("ci-eu")) {
            return Future.failedFuture(ApiException.notFound("route", name));
        }
        RouteView now = currentRoute;
        if (etag == null || waitMillis <= 0 || !etag.equals(now.etag())) {
            return Future.succeededFuture(now);
        }
        Promise<RouteView> p = Promise.promise();
        routeWaiters.add(p);
        Vertx.currentContext().owner().setTimer(waitMillis, t -> {
            routeWaiters.remove(p);
            p.tryComplete(currentRoute);
        });
        return p.future();
    }
}
