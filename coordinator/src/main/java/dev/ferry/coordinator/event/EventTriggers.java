package dev.ferry.coordinator.event;

import dev.ferry.config.filter.RepositoryFilter;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.SourceSpec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of registry events into runs. A tag push, or a manifest delete, in a
 * repository that a policy with {@code trigger.event: true} reads from that registry starts a
 * run of the policy limited to the repositories of the batch (a delete only for a policy with
 * {@code propagateDeletes}). Runs coalesce as every trigger does: while the policy runs, the
 * event queues one full rerun, so a burst of pushes plans each job once and loses none.
 * Pulls go to the {@link PullSink}.
 */
public final class EventTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(EventTriggers.class);

    /** Counts a manifest pull. */
    @FunctionalInterface
    public interface PullSink {
        void pulled(String registry, RegistryEvent event);
    }

    /**
     * @param pulls manifest pulls counted
     * @param triggered the policies a run was started (or queued) for
     * @param ignored events no policy acts on: blobs, other actions, repositories no event policy reads, and
     *     Ferry's own pulls
     */
    public record Receipt(int received, int pulls, List<String> triggered, int ignored) {}

    private final Supplier<Schedule> schedule;
    private final BiFunction<String, UnaryOperator<Policy>, Future<?>> runs;
    private final PullSink pulls;

    /** @param runs triggers a policy by name with a narrowing of it for this run */
    public EventTriggers(
            Supplier<Schedule> schedule, BiFunction<String, UnaryOperator<Policy>, Future<?>> runs, PullSink pulls) {
        this.schedule = schedule;
        this.runs = runs;
        this.pulls = pulls;
    }

    /** Acts on events sent by one of {@code registries} (those whose webhook secret the request carried). */
    public Future<Receipt> handle(List<String> registries, List<RegistryEvent> events) {
        Schedule current = schedule.get();
        Map<String, Set<String>> repositoriesByPolicy = new LinkedHashMap<>();
        int pullCount = 0;
        int ignored = 0;
        for (RegistryEvent e : events) {
            Optional<String> registry = sender(current, registries, e);
            if (registry.isEmpty() || !e.aboutManifest()) {
                ignored++;
                continue;
            }
            switch (e.action()) {
                case RegistryEvent.PULL -> {
                    if (e.byFerry()) {
                        ignored++;
                    } else {
                        pulls.pulled(registry.get(), e);
                        pullCount++;
                    }
                }
                case RegistryEvent.PUSH, RegistryEvent.DELETE -> {
                    List<Policy> matched = reacting(current, registry.get(), e);
                    matched.forEach(p -> repositoriesByPolicy
                            .computeIfAbsent(p.name(), n -> new LinkedHashSet<>())
                            .add(e.repository()));
                    ignored += matched.isEmpty() ? 1 : 0;
                }
                default -> ignored++;
            }
        }
        List<Future<?>> started = new ArrayList<>();
        repositoriesByPolicy.forEach((name, repositories) ->
                started.add(runs.apply(name, p -> narrowed(p, repositories))
                        .onFailure(err -> LOG.info("event run of {} not started: {}", name, err.getMessage()))));
        int pullTotal = pullCount;
        int ignoredTotal = ignored;
        // A paused policy refuses the run; that is the event's answer, not the webhook's failure.
        return Future.join(started)
                .transform(ar -> Future.succeededFuture(new Receipt(
                        events.size(), pullTotal, List.copyOf(repositoriesByPolicy.keySet()), ignoredTotal)));
    }

    /** The registry that sent {@code e}: the only one the secret names, or the one whose host the event names. */
    private static Optional<String> sender(Schedule schedule, List<String> registries, RegistryEvent e) {
        if (registries.size() == 1) {
            return Optional.of(registries.get(0));
        }
        return registries.stream()
                .filter(name -> schedule.registry(name)
                        .filter(r -> !r.isLayout())
                        .map(RegistryConfig::host)
                        .filter(h -> h.equalsIgnoreCase(e.host()))
                        .isPresent())
                .findFirst();
    }

    private static List<Policy> reacting(Schedule schedule, String registry, RegistryEvent e) {
        boolean delete = e.action().equals(RegistryEvent.DELETE);
        if (!delete && e.tag() == null) {
            return List.of();
        }
        return schedule.policies().stream()
                .filter(p -> p.trigger().event() && p.source().registry().equals(registry))
                .filter(p -> !delete || p.propagateDeletes())
                .filter(p -> RepositoryFilter.of(
                                p.source().repositories(), p.source().exclude())
                        .matches(e.repository()))
                .toList();
    }

    /** The policy reading only {@code repositories}, each of which its own filter selects. */
    static Policy narrowed(Policy p, Set<String> repositories) {
        SourceSpec s = p.source();
        return p.withSource(new SourceSpec(s.registry(), List.copyOf(repositories), s.exclude(), s.tags()));
    }
}
