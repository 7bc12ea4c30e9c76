package dev.ferry.worker.lease;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A registry's pull budget as this worker last saw it on a manifest response:
 * {@code ferry_registry_pull_budget_limit} and {@code ferry_registry_pull_budget_remaining}, by
 * the schedule's registry name. Only registries that announce a budget (Docker Hub's
 * {@code ratelimit-*} headers) have them. One instance per worker, so each registry's gauges
 * are registered once and hold their values strongly.
 */
public final class PullBudgetGauges {

    private record Values(AtomicLong limit, AtomicLong remaining) {}

    private final MeterRegistry registry;
    private final Map<String, Values> byRegistry = new ConcurrentHashMap<>();

    public PullBudgetGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String registryName, long limit, long remaining) {
        Values v = byRegistry.computeIfAbsent(registryName, this::register);
        v.limit().set(limit);
        v.remaining().set(remaining);
    }

    private Values register(String registryName) {
        Values v = new Values(new AtomicLong(-1), new AtomicLong(-1));
        Gauge.builder("ferry.registry.pull.budget.limit", v.limit(), AtomicLong::get)
                .description("Manifest pulls per window the registry allows (ratelimit-limit); -1 when not announced")
                .tag("registry", registryName)
                .strongReference(true)
                .register(registry);
        Gauge.builder("ferry.registry.pull.budget.remaining", v.remaining(), AtomicLong::get)
                .description("Manifest pulls left in the registry's window (ratelimit-remaining), as last seen")
                .tag("registry", registryName)
                .strongReference(true)
                .register(registry);
        return v;
    }
}
