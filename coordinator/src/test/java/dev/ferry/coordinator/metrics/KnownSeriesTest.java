package dev.ferry.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import org.junit.jupiter.api.Test;

class KnownSeriesTest {

    private static Schedule schedule(String policies) throws Exception {
        return ScheduleLoader.parse("schedule.yaml", """
        version: 1
        registries:
          - { name: hub, url: "https://hub.example.com", region: eu }
          - { name: edge, url: "https://edge.example.com", region: us }
        policies:
        """ + policies + """
        routes:
          - { name: ci, region: us, mirrors: [edge, hub] }
        """, java.nio.file.Path.of("."));
    }

    @Test
    void theScheduleSeriesAreThereAtZeroAndARegisterAgainKeepsTheirCounts() throws Exception {
        FerryMetrics metrics = FerryMetrics.prometheusWithoutJvm();
        KnownSeries.register(metrics, schedule("""
          - { name: apps, source: { registry: hub, repositories: ["a"] }, targets: [ { registry: edge } ], trigger: { manual: true } }
        """));
        String first = metrics.scrape();
        assertThat(first)
                .contains("ferry_jobs_completed_total{outcome=\"held\",tier=\"critical\"} 0.0")
                .contains("ferry_tag_writes_total{kind=\"backup\",registry=\"edge\"} 0.0")
                .contains("ferry_pulls_total{outcome=\"miss\",registry=\"hub\",route=\"ci\"} 0.0")
                .contains("ferry_replication_lag_seconds{policy=\"apps\",registry=\"edge\"} 0.0")
                .doesNotContain("ferry_prewarm_bytes_total")
                .doesNotContain("ferry_tags_expired_total")
                .doesNotContain("ferry_tag_writes_total{kind=\"write\",registry=\"hub\"}");

        metrics.tagWrite("write", "edge");
        KnownSeries.register(metrics, schedule("""
          - { name: apps, source: { registry: hub, repositories: ["a"] }, targets: [ { registry: edge } ], trigger: { manual: true } }
          - { name: back, source: { registry: edge, repositories: ["a"] }, targets: [ { registry: hub } ], trigger: { manual: true } }
          - name: warm
            source: { registry: hub, repositories: ["a"] }
            targets: [ { registry: edge, prefix: "w/", ttl: 7d } ]
            trigger: { manual: true }
            prewarm: { topK: 3 }
        """));
        String after = metrics.scrape();
        assertThat(after)
                .contains("ferry_tag_writes_total{kind=\"write\",registry=\"edge\"} 1.0")
                .contains("ferry_runs_total{outcome=\"cancelled\",policy=\"back\"} 0.0")
                .contains("ferry_tag_writes_total{kind=\"write\",registry=\"hub\"} 0.0")
                .contains("ferry_prewarm_bytes_total{registry=\"edge\"} 0.0")
                .contains("ferry_tags_expired_total{registry=\"edge\"} 0.0")
                .doesNotContain("ferry_prewarm_bytes_total{registry=\"hub\"}");
    }
}
