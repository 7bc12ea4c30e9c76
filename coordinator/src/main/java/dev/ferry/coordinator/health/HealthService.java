package dev.ferry.coordinator.health;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** Registries' health, failover, drills and routes, as the control API asks for them. */
public interface HealthService {

    /** Every registry of the schedule with its health, failover and catch-up state. */
    Future<List<RegistryView>> registries();

    /**
     * Takes a registry out of service by hand: it leaves its routes at once and jobs writing
     * to it are held. {@code mode} is {@code failover} or {@code drain}.
     */
    Future<RegistryView> takeOut(String registry, String mode, String reason, String actor);

    /**
     * Puts a registry back into its routes. Without {@code force}, refused with 409 and the
     * reason until its catch-up resync is verified (the refusal starts the catch-up if none runs).
     */
    Future<RegistryView> failback(String registry, boolean force, String actor);

    /** Starts a drill: {@code registry} is out of service for {@code duration}, then restored and caught up. */
    Future<DrillReport> startDrill(String registry, Duration duration, String actor);

    Future<DrillReport> drill(String id);

    /** Routes, filtered by team, workload and region labels (null: any). */
    Future<List<RouteView>> routes(String team, String workload, String region);

    /**
     * One route. With an {@code etag} and a wait, a long poll: completes when the route's
     * choice no longer matches the etag, or with the unchanged route when the wait is over.
     */
    Future<RouteView> route(String name, String etag, long waitMillis);
}
