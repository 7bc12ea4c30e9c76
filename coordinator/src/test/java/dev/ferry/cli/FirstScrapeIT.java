package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh {@code ferry standalone}, with real registries: its very first {@code /metrics}
 * already carries, at 0, every series the dashboards and alert rules query whose labels the
 * schedule tells; and its start (and a first replication) logs no warning from Micrometer.
 */
class FirstScrapeIT {

    /**
     * Series the dashboards use whose labels no schedule tells: a worker's id, or a pair of
     * registries a worker reports only once it copied between them.
     */
    private static final Set<String> LABELS_UNKNOWN_AT_START = Set.of(
            "ferry_worker_leases",
            "ferry_worker_throughput_bytes_per_second",
            "ferry_worker_copied_bytes_total",
            "vertx_http_client_responses_total");

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theFirstScrapeCarriesTheKnownSeriesAtZeroAndTheStartIsQuiet(@TempDir Path dir) throws Exception {
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, region: eu }
          - { name: mirror, url: "%s", insecure: true, region: us }
        links:
          - { from: eu, to: us, bandwidth: 10MiB/s }
        policies:
          - name: apps
            source: { registry: source, repositories: ["fs/app"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
            tier: high
          - name: warm
            source: { registry: source, repositories: ["fs/app"] }
            targets: [ { registry: mirror, prefix: "warm/", ttl: 14d } ]
            trigger: { manual: true }
            prewarm: { topK: 5 }
        routes:
          - { name: ci, region: us, mirrors: [mirror, source] }
        """.formatted(source.url(), mirror.url()));
        server = StandaloneServer.start(dir, schedule);
        String first = server.metrics();

        Set<String> used = new TreeSet<>();
        Matcher names = Pattern.compile("\\b(ferry|vertx)_[a-z_]+").matcher(monitoringAssets());
        while (names.find()) {
            used.add(names.group().replaceAll("_(bucket|count|sum|max)$", ""));
        }
        used.removeAll(LABELS_UNKNOWN_AT_START);
        assertThat(used).as("the dashboards and rules query these").hasSizeGreaterThan(20);
        for (String name : used) {
            assertThat(first)
                    .as(name + " in the first scrape")
                    .containsPattern("(?m)^" + name + "(_bucket|_count)?[{ ]");
        }
        // The sixteen that used to appear only after their first event, each at 0.
        for (String series : List.of(
                "ferry_leases_granted_total{tier=\"high\"}",
                "ferry_leases_expired_total",
                "ferry_jobs_completed_total{outcome=\"failed\",tier=\"high\"}",
                "ferry_job_duration_seconds_count{tier=\"high\"}",
                "ferry_conflicts_total{policy=\"apps\"}",
                "ferry_signature_rejections_total{policy=\"apps\",registry=\"source\"}",
                "ferry_tag_writes_total{kind=\"write\",registry=\"mirror\"}",
                "ferry_runs_total{outcome=\"failed\",policy=\"apps\"}",
                "ferry_pulls_total{outcome=\"hit\",registry=\"mirror\",route=\"ci\"}",
                "ferry_pulls_total{outcome=\"miss\",registry=\"source\",route=\"ci\"}",
                "ferry_tags_expired_total{registry=\"mirror\"}",
                "ferry_prewarm_bytes_total{registry=\"mirror\"}",
                "ferry_drift_tags{policy=\"apps\"}",
                "ferry_replication_lag_seconds{policy=\"apps\",registry=\"mirror\"}",
                "ferry_failovers_total{mode=\"auto\",registry=\"mirror\"}",
                "ferry_failbacks_total{mode=\"auto\",registry=\"mirror\"}",
                "ferry_cluster_partition_migrations_total{outcome=\"failed\"}",
                "ferry_audit_events_total{kind=\"drill\"}")) {
            assertThat(value(first, series)).as(series).isEqualTo(0.0);
        }

        // A replication opens connection pools to both registries: still no warning.
        TestImages.forRegistry(source.registry()).pushOciImage("fs/app", "v1", 31, 1500);
        String run = server.post("/v1/policies/apps/sync?wait=true");
        assertThat(run).contains("\"state\":\"succeeded\"");
        String after = server.metrics();
        assertThat(value(after, "ferry_tag_writes_total{kind=\"write\",registry=\"mirror\"}"))
                .isEqualTo(1.0);
        assertThat(value(after, "ferry_runs_total{outcome=\"succeeded\",policy=\"apps\"}"))
                .isEqualTo(1.0);

        List<String> micrometerWarnings = Files.readAllLines(dir.resolve("standalone.log")).stream()
                .filter(line -> line.matches(".*\\b(WARN|ERROR)\\s+(i\\.m\\.|io\\.micrometer).*"))
                .toList();
        assertThat(micrometerWarnings)
                .as("warnings from Micrometer on a first start")
                .isEmpty();
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String monitoringAssets() throws Exception {
        StringBuilder all = new StringBuilder(Files.readString(Path.of("..", "k8s", "prometheus", "ferry-rules.yaml")));
        try (Stream<Path> dashboards = Files.list(Path.of("..", "k8s", "grafana"))) {
            for (Path d : dashboards.filter(f -> f.toString().endsWith(".json")).toList()) {
                all.append(Files.readString(d));
            }
        }
        return all.toString();
    }
}
