package dev.ferry.coordinator.lease;

import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Each target registry's {@code maxConcurrencyPerRepository}, or
 * {@link ReadyIndex#DEFAULT_PER_REPOSITORY}, for the ready index. The index asks on every
 * candidate it looks at, so the answers are kept per schedule and worked out again only when
 * a reload swapped the schedule.
 */
public final class RepositoryCaps implements ToIntFunction<String> {

    private record Caps(Schedule schedule, Map<String, Integer> byRegistry) {}

    private final Supplier<Schedule> schedule;
    private volatile Caps caps;

    public RepositoryCaps(Supplier<Schedule> schedule) {
        this.schedule = schedule;
    }

    @Override
    public int applyAsInt(String registry) {
        Schedule now = schedule.get();
        Caps known = caps;
        if (known == null || known.schedule() != now) {
            Map<String, Integer> byRegistry = new HashMap<>();
            for (RegistryConfig r : now.registries()) {
                if (r.maxConcurrencyPerRepository() != null) {
                    byRegistry.put(r.name(), r.maxConcurrencyPerRepository());
                }
            }
            known = new Caps(now, byRegistry);
            caps = known;
        }
        return known.byRegistry().getOrDefault(registry, ReadyIndex.DEFAULT_PER_REPOSITORY);
    }
}
