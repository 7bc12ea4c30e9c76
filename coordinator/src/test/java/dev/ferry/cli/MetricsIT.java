package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} after a real replication into a registry with a password: the
 * counters moved by what happened, and no secret appears.
 */
class MetricsIT {

    private static final String PASSWORD = "metrics-Pw-77";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension locked = RegistryExtension.basicAuth("ci", PASSWORD);

    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void countersMoveWithARealReplicationAndNoSecretIsExposed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("locked.pw"), PASSWORD + "\n");
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - name: locked
            url: "%s"
            insecure: true
            credentials: { username: ci, passwordFile: locked.pw }
        policies:
          - name: apps
            source: { registry: source, repositories: ["mt/*"] }
            targets: [ { registry: locked, prefix: "m/" } ]
            trigger: { manual: true }
        """.formatted(source.url(), locked.url()));
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("mt/a", "v1", 121, 1500);
        images.pushOciImage("mt/b", "v1", 122, 1500);
        server = StandaloneServer.start(dir, schedule);
        String before = server.metrics();
        assertThat(value(before, "ferry_cluster_members")).isEqualTo(1.0);
        // Known from the schedule, so there from the start, at 0 (FirstScrapeIT checks them all).
        assertThat(value(before, "ferry_tag_writes_total{kind=\"write\",registry=\"locked\"}"))
                .isZero();

        FerryProcess.Result sync = server.ctl("sync", "--policy", "apps", "--wait");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();

        String after = server.metrics();
        assertThat(value(after, "ferry_tag_writes_total{kind=\"write\",registry=\"locked\"}"))
                .isEqualTo(2.0);
        assertThat(value(after, "ferry_jobs_completed_total{outcome=\"succeeded\",tier=\"normal\"}"))
                .isEqualTo(2.0);
        assertThat(value(after, "ferry_runs_total{outcome=\"succeeded\",policy=\"apps\"}"))
                .isEqualTo(1.0);
        assertThat(value(after, "ferry_leases_granted_total{tier=\"normal\"}")).isEqualTo(2.0);
        assertThat(value(after, "ferry_lease_request_seconds_count{granted=\"true\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(value(after, "ferry_leases_active")).isZero();
        // Per-worker load, from the leases this member granted to the in-process worker (none before).
        assertThat(before).doesNotContain("ferry_worker_leases{");
        assertThat(after).containsPattern("(?m)^ferry_worker_leases\\{worker=\"[^\"]+\"} ");
        assertThat(after).containsPattern("(?m)^ferry_worker_throughput_bytes_per_second\\{worker=\"[^\"]+\"} ");
        // JVM and process meters.
        assertThat(value(after, "jvm_classes_loaded_classes")).isGreaterThan(1000.0);
        assertThat(value(after, "process_cpu_usage")).isGreaterThanOrEqualTo(0.0);
        assertThat(after)
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads")
                .contains("jvm_memory_used_bytes");
        // The in-process worker's meters, in the same registry.
        assertThat(value(
                        after,
                        "ferry_worker_copied_bytes_total{source_registry=\"source\",target_registry=\"locked\"}"))
                .isGreaterThan(3000.0);
        assertThat(value(after, "ferry_worker_jobs_total{outcome=\"succeeded\"}"))
                .isEqualTo(2.0);
        assertThat(value(after, "ferry_worker_blobs_total{how=\"copied\"}")).isGreaterThanOrEqualTo(2.0);
        assertThat(value(after, "ferry_worker_job_duration_seconds_count{outcome=\"succeeded\"}"))
                .isEqualTo(2.0);
        assertThat(after).containsPattern("ferry_worker_jobs_active\\{worker=\"standalone-[0-9a-f]+\"} 0.0");
        assertThat(after).contains("jvm_memory_used_bytes{").contains("# TYPE ferry_job_duration_seconds histogram");
        // Registry requests: the worker's manifest writes to the target, the planner's tag listing at the source.
        assertThat(value(
                        after,
                        "ferry_registry_request_seconds_count{kind=\"manifest\",method=\"PUT\",registry=\"locked\","
                                + "status=\"2xx\"}"))
                .isGreaterThanOrEqualTo(2.0);
        assertThat(value(
                        after,
                        "ferry_registry_request_seconds_count{kind=\"tags\",method=\"GET\",registry=\"source\","
                                + "status=\"2xx\"}"))
                .isGreaterThanOrEqualTo(2.0);
        assertThat(after).doesNotContain(PASSWORD).doesNotContain("sha256:");
    }
}
