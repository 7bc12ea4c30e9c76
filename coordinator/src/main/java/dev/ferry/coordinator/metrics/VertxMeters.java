package dev.ferry.coordinator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Builds Vert.x instances that report their own meters ({@code vertx_*}: HTTP client and
 * server requests, event bus, worker pools) into Ferry's registry, so one
 * scrape of {@code GET /metrics} shows both.
 */
public final class VertxMeters {

    /**
     * The only labels Vert.x may attach. Paths carry repositories and digests, and remote or
     * local addresses and event-bus addresses grow without bound, so none of them is a label.
     */
    public static final Set<Label> LABELS = EnumSet.of(
            Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE, Label.EB_FAILURE);

    private VertxMeters() {}

    /**
     * Vert.x gauges that Vert.x registers again for every connection, request, event-bus handler,
     * client or connection pool it creates, all under one name (the labels that would tell them
     * apart are addresses and paths, which Ferry never uses as labels). Micrometer refuses every
     * registration after the first with a warning (vert-x3/vertx-micrometer-metrics#259), so Ferry
     * does not export them. The counters and timers of the same requests remain.
     */
    static final java.util.List<String> REREGISTERED_GAUGE_SUFFIXES = java.util.List.of(
            ".active.requests", ".active.connections", ".active.ws.connections", ".processing.pending");

    static final Set<String> REREGISTERED_GAUGES = Set.of("vertx.eventbus.handlers", "vertx.eventbus.pending");

    /** Whether a meter is one of the above, or a meter of an HTTP client's connection pool (see {@link #builder}). */
    static boolean isRegisteredMoreThanOnce(Meter.Id id) {
        String name = id.getName();
        if (!name.startsWith("vertx.")) {
            return false;
        }
        return REREGISTERED_GAUGES.contains(name)
                || REREGISTERED_GAUGE_SUFFIXES.stream().anyMatch(name::endsWith)
                || name.startsWith("vertx.pool.") && "http".equals(id.getTag(Label.POOL_TYPE.toString()));
    }

    /** A builder whose Vert.x reports into {@code registry}; JVM meters are bound by Ferry, not here. */
    public static VertxBuilder builder(MeterRegistry registry) {
        // Only worker pools are kept. An HTTP client's connection pool is named after its peer's
        // host:port: an address, which is never a label; under one name, every pool after the first
        // registers the same gauges again. The filter exists before any meter is registered.
        registry.config().meterFilter(MeterFilter.deny(VertxMeters::isRegisteredMoreThanOnce));
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(false)
                .setLabels(LABELS);
        return io.vertx.core.Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry));
    }
}
