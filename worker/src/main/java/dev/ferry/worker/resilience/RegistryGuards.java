package dev.ferry.worker.resilience;

import dev.ferry.common.image.ImageStore;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * This worker's {@link RegistryGuard}s, one per registry name, so every job touching a
 * registry shares its breaker, rate limit and bulkhead. Each lease brings the registry's
 * current limits, and the guard takes them on. The breakers' states are readable here (for
 * the status API and issue 7's health) and as the gauge {@code ferry_registry_circuit_state{registry}}
 * in the registry given at construction: 0 closed, 1 half-open, 2 open.
 */
public final class RegistryGuards {

    private final Vertx vertx;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<String, RegistryGuard> guards = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    /**
     * @param meters where the breakers' gauges go; a process that exposes no metrics passes an empty
     *     {@code CompositeMeterRegistry}
     */
    public RegistryGuards(Vertx vertx, Clock clock, RandomGenerator random, MeterRegistry meters) {
        this.vertx = vertx;
        this.clock = clock;
        this.random = random;
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Guards on the system clock, with their gauges in {@code meters}. */
    public static RegistryGuards of(Vertx vertx, MeterRegistry meters) {
        return new RegistryGuards(vertx, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"), meters);
    }

    /** The guard of a registry, created or updated with a lease's limits (null: the defaults). */
    public RegistryGuard guard(String registry, Limits limits) {
        ResilienceSettings settings = ResilienceSettings.of(limits);
        RegistryGuard guard = guards.computeIfAbsent(registry, name -> {
            RegistryGuard created = new RegistryGuard(name, vertx, clock, random, settings);
            gauge(meters, created);
            return created;
        });
        guard.update(settings);
        return guard;
    }

    /** Wraps a registry's store so its requests go through the registry's guard. */
    public ImageStore decorate(String registry, Limits limits, ImageStore store) {
        return new GuardedStore(store, guard(registry, limits));
    }

    public Optional<BreakerState> state(String registry) {
        return Optional.ofNullable(guards.get(registry)).map(RegistryGuard::state);
    }

    /** Every registry this worker has called, by name, with its breaker's state. */
    public Map<String, BreakerState> states() {
        Map<String, BreakerState> out = new TreeMap<>();
        guards.forEach((name, g) -> out.put(name, g.state()));
        return out;
    }

    private static void gauge(MeterRegistry registry, RegistryGuard guard) {
        Gauge.builder("ferry.registry.circuit.state", guard, g -> g.state().code())
                .description("This worker's circuit breaker for the registry: 0 closed, 1 half-open, 2 open")
                .tag("registry", guard.registry())
                .register(registry);
    }
}
