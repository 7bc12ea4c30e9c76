package dev.ferry.coordinator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Builds Vert.x instances that report their own meters ({@code vertx_*}: HTTP client and
 * server requests, event bus, worker and connection pools) into Ferry's registry, so one
 * scrape of {@code GET /metrics} shows both.
 */
public final class VertxMeters {

  /**
   * The only labels Vert.x may attach. Paths carry repositories and digests, and remote or
   * local addresses and event-bus addresses grow without bound, so none of them is a label.
   */
  public static final Set<Label> LABELS = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
      Label.POOL_NAME, Label.EB_SIDE, Label.EB_FAILURE);

  /** The {@code pool_name} under which all HTTP client connection pools are counted. */
  public static final String CONNECTION_POOLS = "connections";

  private VertxMeters() {}

  private static Match poolName(String regex, String alias) {
    return new Match().setDomain(MetricsDomain.NAMED_POOLS).setLabel(Label.POOL_NAME.toString())
        .setType(MatchType.REGEX).setValue(regex).setAlias(alias);
  }

  /** A builder whose Vert.x reports into {@code registry}; JVM meters are bound by Ferry, not here. */
  public static VertxBuilder builder(MeterRegistry registry) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)
        .setLabels(LABELS)
        // Worker pools keep their names; an HTTP client's connection pool is named after its
        // peer's host:port, so every such pool is counted under one name.
        .addLabelMatch(poolName("[^:]*", null))
        .addLabelMatch(poolName(".*:.*", CONNECTION_POOLS));
    return io.vertx.core.Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }
}
