package dev.ferry.coordinator.pull;

import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.event.EventTriggers;
import dev.ferry.coordinator.event.RegistryEvent;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.metrics.FerryMetrics;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reported pull does: counts it for pre-warming, and meters it by registry, route and
 * outcome. A hit is a pull of a tag Ferry had written at that registry before (replicated or
 * pre-warmed); the hit ratio of an edge mirror is hits over all its pulls. A pull by digest names
 * no tag (containerd resolves the tag with HEAD, then GETs by digest) and is not counted.
 */
public final class PullRecorder implements EventTriggers.PullSink {

    private static final Logger LOG = LoggerFactory.getLogger(PullRecorder.class);

    private final PullCounts counts;
    private final TagHistory history;
    private final Supplier<Schedule> schedule;
    private final Supplier<FerryMetrics> metrics;

    public PullRecorder(
            PullCounts counts, TagHistory history, Supplier<Schedule> schedule, Supplier<FerryMetrics> metrics) {
        this.counts = counts;
        this.history = history;
        this.schedule = schedule;
        this.metrics = metrics;
    }

    @Override
    public void pulled(String registry, RegistryEvent pull) {
        if (pull.tag() == null) {
            return;
        }
        String route = schedule.get().routes().stream()
                .filter(r -> r.mirrors().contains(registry))
                .map(RouteConfig::name)
                .findFirst()
                .orElse("none");
        history.lastWritten(registry, pull.repository(), pull.tag())
                .map(written -> written != null ? "hit" : "miss")
                .otherwise("miss")
                .compose(outcome -> counts.pulled(registry, pull.repository(), pull.tag())
                        .onComplete(ar -> metrics.get().pull(registry, route, outcome)))
                .onFailure(e -> LOG.warn(
                        "pull of {}/{}:{} not counted: {}", registry, pull.repository(), pull.tag(), e.getMessage()));
    }
}
