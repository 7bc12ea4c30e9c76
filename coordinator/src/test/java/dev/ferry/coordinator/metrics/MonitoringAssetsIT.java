package dev.ferry.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.worker.lease.PullBudgetGauges;
import dev.ferry.worker.lease.RegistryRequestMeters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the monitoring assets true: promtool accepts the rule files and their unit tests
 * pass, every Grafana dashboard imports with a templated data source, units and legends, and
 * every metric the rules and dashboards use is one Ferry exports and docs/metrics.md lists.
 */
class MonitoringAssetsIT {

    private static final Path K8S = Path.of("..", "k8s");
    private static final Path DOCS = Path.of("..", "docs", "metrics.md");
    private static final Pattern METRIC = Pattern.compile("\\b(ferry|vertx)_[a-z_]+");
    private static final Pattern RECORDED = Pattern.compile("\\bferry:[a-z0-9_]+:[a-z0-9_]+");

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        Path rules = K8S.resolve("prometheus");
        assertThat(run(rules, "promtool", "check", "rules", "ferry-rules.yaml")).contains("SUCCESS");
        assertThat(run(rules, "promtool", "test", "rules", "ferry-rules.test.yaml"))
                .contains("SUCCESS");
    }

    @Test
    void dashboardsTemplateTheirDataSource() throws Exception {
        List<Path> dashboards = jsonFiles(K8S.resolve("grafana"));
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(4);
        Set<String> uids = new TreeSet<>();
        for (Path d : dashboards) {
            JsonNode root = new ObjectMapper().readTree(d.toFile());
            assertThat(root.path("title").asText()).as(d.toString()).startsWith("Ferry");
            assertThat(uids.add(root.path("uid").asText()))
                    .as("unique uid of " + d)
                    .isTrue();
            assertThat(root.path("__inputs").findValuesAsText("name"))
                    .as(d.toString())
                    .contains("DS_PROMETHEUS");
            assertThat(root.path("templating").path("list").findValuesAsText("name"))
                    .as(d.toString())
                    .contains("DS_PROMETHEUS");
            for (JsonNode panel : root.path("panels")) {
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(d + " panel " + panel.path("title"))
                        .isEqualTo("${DS_PROMETHEUS}");
                assertThat(panel.path("fieldConfig")
                                .path("defaults")
                                .path("unit")
                                .asText())
                        .as(d + " panel " + panel.path("title") + " has a unit")
                        .isNotBlank();
                if (panel.path("type").asText().equals("timeseries")) {
                    assertThat(panel.path("options").path("legend").isObject())
                            .as(d + " panel " + panel.path("title") + " has a legend")
                            .isTrue();
                    for (JsonNode target : panel.path("targets")) {
                        assertThat(target.path("legendFormat").asText())
                                .as(d + " panel " + panel.path("title") + " names its series")
                                .isNotBlank();
                    }
                }
                assertThat(panel.path("targets"))
                        .as(d + " panel " + panel.path("title"))
                        .isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asText()).isNotBlank();
                    assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                }
            }
        }
    }

    @Test
    void everyMetricUsedIsExportedAndDocumented() throws Exception {
        String docs = Files.readString(DOCS);
        Set<String> documented = names(docs);
        // The coordinator's own metrics come before the workers' section; MetricsIT scrapes those.
        Set<String> coordinatorDocumented = names(docs.substring(0, docs.indexOf("## Workers")));
        Set<String> used =
                new TreeSet<>(names(Files.readString(K8S.resolve("prometheus").resolve("ferry-rules.yaml"))));
        for (Path d : jsonFiles(K8S.resolve("grafana"))) {
            used.addAll(names(Files.readString(d)));
        }
        assertThat(documented)
                .as("metrics the rules and dashboards use, listed in docs/metrics.md")
                .containsAll(used);

        FerryMetrics m = FerryMetrics.prometheus();
        m.gauge("ferry.cluster.members", "members", () -> 1);
        m.gauge("ferry.jobs.ready", "ready", () -> 0);
        m.gauge("ferry.leases.active", "active", () -> 0);
        m.leasesGranted("normal", 1);
        m.leaseRequest(Duration.ofMillis(3), true);
        m.leaseExpired();
        m.jobCompleted("normal", "succeeded", Duration.ofSeconds(2));
        m.conflict("apps");
        m.tagWrite("write", "mirror");
        m.runEnded("apps", "succeeded");
        m.pull("mirror", "ci-eu", "hit");
        m.tagExpired("mirror");
        m.prewarmed("mirror", 1024);
        m.driftedTags("apps", 0);
        m.replicationLag("apps", "mirror", 0);
        m.link("eu->us", () -> 1, () -> 0, () -> 0);
        m.failover("mirror", "auto");
        m.auditEvent("registry.failover");
        m.signatureRejected("apps", "hub");
        m.failback("mirror", "auto");
        m.probe("mirror", Duration.ofMillis(4), true);
        m.gauge("ferry.registry.health", "health", () -> 1, "registry", "mirror", "state", "healthy");
        m.gauge("ferry.registry.in.routes", "in routes", () -> 1, "registry", "mirror");
        m.gauge("ferry.route.active", "active", () -> 1, "route", "ci", "registry", "mirror");
        m.gauge("ferry.route.failed.over", "failed over", () -> 0, "route", "ci");
        m.gauge("ferry.audit.ledger.breaks", "breaks", () -> 0);
        m.gauge("ferry.audit.ledger.forks", "forks", () -> 0);
        m.completionBatch(2);
        m.partitionMigration(true);
        m.planErrors("apps", 1);
        m.planTargetChecks("apps", 2, 1, 3);
        new WorkerLoad(m.registry(), Clock.systemUTC()).granted("w1", "l1");
        RegistryRequestMeters.of(m.registry(), "mirror").observed("GET", "manifest", 200, 1_000);
        new PullBudgetGauges(m.registry()).record("hub", 100, 76);
        Set<String> exported = names(m.scrape());
        assertThat(exported)
                .as("every coordinator metric docs/metrics.md lists is exported")
                .containsAll(coordinatorDocumented);
    }

    @Test
    void everyRecordingRuleADashboardUsesIsDefinedInTheRules() throws Exception {
        Set<String> recorded = new TreeSet<>();
        Matcher record = Pattern.compile("record: (ferry:[a-z0-9_:]+)")
                .matcher(Files.readString(K8S.resolve("prometheus").resolve("ferry-rules.yaml")));
        while (record.find()) {
            recorded.add(record.group(1));
        }
        Set<String> used = new TreeSet<>();
        for (Path d : jsonFiles(K8S.resolve("grafana"))) {
            Matcher rule = RECORDED.matcher(Files.readString(d));
            while (rule.find()) {
                used.add(rule.group());
            }
        }
        assertThat(used).as("recording rules the dashboards use").contains("ferry:mirror_hit_ratio:rate5m");
        assertThat(recorded).as("recording rules in ferry-rules.yaml").containsAll(used);
    }

    @Test
    void everyVertxMetricDocumentedIsExportedAndMovesWithRealTraffic() throws Exception {
        Set<String> documented = new TreeSet<>(names(Files.readString(DOCS)));
        documented.removeIf(n -> !n.startsWith("vertx_"));
        assertThat(documented).contains("vertx_http_client_requests_total", "vertx_pool_in_use");
        FerryMetrics m = FerryMetrics.prometheusWithoutJvm();
        Vertx vertx = VertxMeters.builder(m.registry()).build();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(req -> req.response().setStatusCode(204).end())
                    .listen(0, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS);
            HttpClient client = vertx.createHttpClient();
            for (int i = 0; i < 3; i++) {
                client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/v2/a/b/blobs/sha256:00")
                        .compose(req -> req.send())
                        .await(10, TimeUnit.SECONDS);
            }
            vertx.eventBus().consumer("probe", msg -> msg.reply("pong"));
            vertx.eventBus().request("probe", "ping").await(10, TimeUnit.SECONDS);
            vertx.executeBlocking(() -> 1).await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        String scrape = m.scrape();
        assertThat(names(scrape))
                .as("every vertx_ metric docs/metrics.md lists is exported")
                .containsAll(documented);
        assertThat(scrape)
                .contains("vertx_http_client_requests_total{method=\"GET\"} 3.0")
                .contains("vertx_http_server_requests_total{code=\"204\",method=\"GET\"} 3.0")
                .contains("vertx_pool_completed_total{pool_name=\"vert.x-worker-thread\",pool_type=\"worker\"} 1.0")
                .doesNotContain("sha256")
                .doesNotContain("127.0.0.1")
                .doesNotContain("probe");
    }

    /** Metric family names in a text: histogram and summary series map to their family. */
    private static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            out.add(m.group().replaceAll("_(bucket|count|sum|max)$", ""));
        }
        return out;
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList());
        }
    }
}
