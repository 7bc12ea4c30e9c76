package dev.ferry.coordinator.health;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The cluster's shared view of registry health and of routes: two replicated maps, and a
 * copy of each on every member, kept current by entry listeners, so that the lease path,
 * the metrics and the route endpoints read memory, never the network.
 *
 * <p>Every change of a health entry happens under that entry's lock (read, change, write),
 * so the leader's probes and an operator's failover on another member cannot lose each
 * other's update.
 */
public final class HealthStore {

    public static final String HEALTH_MAP = "ferry-registry-health";
    public static final String ROUTES_MAP = "ferry-routes";

    /** A change of one entry: {@code before} is null for a new registry. */
    public record Change(RegistryHealth before, RegistryHealth after) {}

    private final Vertx vertx;
    private final IMap<String, RegistryHealth> health;
    private final IMap<String, RouteView> routes;
    private final Map<String, RegistryHealth> healthCopy = new ConcurrentHashMap<>();
    private final Map<String, RouteView> routesCopy = new ConcurrentHashMap<>();
    private final List<Consumer<RouteView>> routeListeners = new CopyOnWriteArrayList<>();
    private UUID healthListener;
    private UUID routesListener;

    public HealthStore(HazelcastInstance hazelcast, Vertx vertx) {
        this.vertx = vertx;
        this.health = hazelcast.getMap(HEALTH_MAP);
        this.routes = hazelcast.getMap(ROUTES_MAP);
    }

    /** Starts listening, then loads what the cluster already holds. Blocking: call off the event loop. */
    public void load() {
        healthListener = health.addEntryListener(new Listener<>(healthCopy, h -> {}), true);
        routesListener = routes.addEntryListener(new Listener<>(routesCopy, this::routeChanged), true);
        healthCopy.putAll(health);
        routesCopy.putAll(routes);
    }

    public void close() {
        if (healthListener != null) {
            health.removeEntryListener(healthListener);
            routes.removeEntryListener(routesListener);
        }
    }

    /** This member's copy: current to within the listener's delivery. */
    public Optional<RegistryHealth> health(String registry) {
        return Optional.ofNullable(healthCopy.get(registry));
    }

    /** Why writes to {@code registry} wait, or null when they may go ahead: this member's copy. */
    public String holdsWrites(String registry) {
        return health(registry).map(RegistryHealth::holdsWrites).orElse(null);
    }

    public Map<String, RegistryHealth> allHealth() {
        return Map.copyOf(healthCopy);
    }

    public Optional<RouteView> route(String name) {
        return Optional.ofNullable(routesCopy.get(name));
    }

    public Map<String, RouteView> allRoutes() {
        return Map.copyOf(routesCopy);
    }

    /** Called (on a Hazelcast event thread) whenever a route's stored view changes. */
    public void onRouteChange(Consumer<RouteView> listener) {
        routeListeners.add(listener);
    }

    /**
     * Changes a registry's entry under its lock; {@code change} gets null for a registry with
     * no entry yet and must be quick and pure. Off the event loop.
     */
    public Future<Change> update(String registry, UnaryOperator<RegistryHealth> change) {
        return vertx.executeBlocking(
                () -> {
                    health.lock(registry);
                    try {
                        RegistryHealth before = health.get(registry);
                        RegistryHealth after = change.apply(before);
                        if (after != null && !after.equals(before)) {
                            health.set(registry, after);
                            healthCopy.put(registry, after);
                        }
                        return new Change(before, after == null ? before : after);
                    } finally {
                        health.unlock(registry);
                    }
                },
                false);
    }

    /** Stores a route's view when it differs from the stored one (the leader calls this). */
    public Future<Boolean> putRoute(RouteView view) {
        RouteView stored = routesCopy.get(view.name());
        if (view.sameChoice(stored)) {
            return Future.succeededFuture(false);
        }
        routesCopy.put(view.name(), view);
        return dev.ferry.coordinator.hz.HzFutures.on(vertx.getOrCreateContext(), routes.setAsync(view.name(), view))
                .map(true);
    }

    /** Forgets registries and routes no longer in the schedule. */
    public Future<Void> retain(java.util.Set<String> registries, java.util.Set<String> routeNames) {
        return vertx.executeBlocking(
                () -> {
                    for (String r : List.copyOf(health.keySet())) {
                        if (!registries.contains(r)) {
                            health.delete(r);
                            healthCopy.remove(r);
                        }
                    }
                    for (String r : List.copyOf(routes.keySet())) {
                        if (!routeNames.contains(r)) {
                            routes.delete(r);
                            routesCopy.remove(r);
                        }
                    }
                    return null;
                },
                false);
    }

    private void routeChanged(RouteView view) {
        routeListeners.forEach(l -> l.accept(view));
    }

    private static final class Listener<V> implements EntryAddedListener<String, V>, EntryUpdatedListener<String, V> {
        private final Map<String, V> copy;
        private final Consumer<V> then;

        Listener(Map<String, V> copy, Consumer<V> then) {
            this.copy = copy;
            this.then = then;
        }

        @Override
        public void entryAdded(EntryEvent<String, V> event) {
            copy.put(event.getKey(), event.getValue());
            then.accept(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, V> event) {
            copy.put(event.getKey(), event.getValue());
            then.accept(event.getValue());
        }
    }
}
