package dev.ferry.coordinator.health;

import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.metrics.FerryMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The health and route gauges ({@code ferry_registry_health}, {@code ferry_registry_in_routes},
 * {@code ferry_route_failed_over}, {@code ferry_route_active}), read from this member's copy of
 * {@link HealthStore}, so every member reports the same values.
 */
final class HealthGauges {

    private final HealthStore store;
    private final Supplier<FerryMetrics> metrics;
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();

    HealthGauges(HealthStore store, Supplier<FerryMetrics> metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Registers the gauges of registries and routes not seen before (a reload may add some). */
    void register(Schedule s) {
        FerryMetrics metrics = this.metrics.get();
        for (RegistryConfig r : s.registries()) {
            if (registered.putIfAbsent("r|" + r.name(), true) == null) {
                for (HealthState state : HealthState.values()) {
                    metrics.gauge(
                            "ferry.registry.health",
                            "1 for the registry's current health state, 0 for the others",
                            () -> store.health(r.name())
                                    .map(h -> h.state() == state ? 1 : 0)
                                    .orElse(0),
                            "registry",
                            r.name(),
                            "state",
                            state.apiName());
                }
                metrics.gauge(
                        "ferry.registry.in.routes",
                        "1 while the registry may be a route's active mirror",
                        () -> store.health(r.name())
                                .map(h -> h.inRoutes() ? 1 : 0)
                                .orElse(1),
                        "registry",
                        r.name());
            }
        }
        for (RouteConfig route : s.routes()) {
            if (registered.putIfAbsent("f|" + route.name(), true) == null) {
                metrics.gauge(
                        "ferry.route.failed.over",
                        "1 while the route's active mirror is not its first (preferred) one",
                        () -> store.route(route.name())
                                .map(v -> v.candidates().isEmpty()
                                                || v.candidates()
                                                        .get(0)
                                                        .registry()
                                                        .equals(v.active())
                                        ? 0
                                        : 1)
                                .orElse(0),
                        "route",
                        route.name());
            }
            for (String mirror : route.mirrors()) {
                if (registered.putIfAbsent("a|" + route.name() + "|" + mirror, true) == null) {
                    metrics.gauge(
                            "ferry.route.active",
                            "1 for the route's active mirror, 0 for its other mirrors",
                            () -> store.route(route.name())
                                    .map(v -> mirror.equals(v.active()) ? 1 : 0)
                                    .orElse(0),
                            "route",
                            route.name(),
                            "registry",
                            mirror);
                }
            }
        }
    }
}
