package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vert.x's own meters on {@code GET /metrics} of a coordinator process and of a worker
 * process, after a real replication: they count the traffic that happened, and carry no
 * label that grows with repositories, digests or peers.
 */
class VertxMetricsIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    /** The sum of every sample of {@code family} whose labels contain {@code labels}. */
    static double sum(String scrape, String family, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(family) + "\\{([^}]*)} ([0-9.eE+-]+)$")
                .matcher(scrape);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void coordinatorAndWorkerExportVertxMetersThatMoveWithRealTraffic(@TempDir Path dir) throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("vx/app", "v1", 61, 2500);
        Path schedule = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: vx
            source: { registry: source, repositories: ["vx/*"] }
            targets: [ { registry: mirror, prefix: "m/" } ]
            trigger: { manual: true }
        """.formatted(source.url(), mirror.url()));
        try (FerryProcesses ferry = new FerryProcesses()) {
            int api = ferry.coordinator(dir, schedule);
            int workerMetrics = FreePort.forListener();
            ferry.worker(dir, api, "w", "local", 1, "--metrics", "127.0.0.1:" + workerMetrics);

            FerryProcess.Result sync =
                    FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api, "sync", "--policy", "vx", "--wait");
            assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
            assertThat(new Skopeo().manifestDigest("docker://" + mirror.host() + "/m/vx/app:v1"))
                    .isEqualTo(image.digest());

            String coordinator = scrape(api);
            // The worker's lease calls and ctl's calls, served by the coordinator's API server.
            assertThat(sum(coordinator, "vertx_http_server_requests_total", "method=\"POST\""))
                    .isGreaterThan(0.0);
            assertThat(sum(coordinator, "vertx_http_server_requests_total", "code=\"200\""))
                    .isGreaterThan(0.0);
            // The planner's calls to the registries.
            assertThat(sum(coordinator, "vertx_http_client_requests_total", "method=\"GET\""))
                    .isGreaterThan(0.0);
            assertThat(sum(coordinator, "vertx_pool_completed_total", "pool_type=\"worker\""))
                    .isGreaterThan(0.0);

            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> sum(scrape(workerMetrics), "vertx_http_client_requests_total", "method=\"PUT\"") > 0);
            String worker = scrape(workerMetrics);
            // Blob and manifest calls to both registries, and lease calls to the coordinator.
            assertThat(sum(worker, "vertx_http_client_requests_total", "method=\"GET\""))
                    .isGreaterThan(0.0);
            assertThat(sum(worker, "vertx_http_client_responses_total", "code=\"201\",method=\"PUT\""))
                    .isGreaterThan(0.0);
            assertThat(sum(worker, "vertx_http_client_response_bytes_sum", "")).isGreaterThan(2500.0);
            assertThat(sum(worker, "vertx_pool_completed_total", "pool_type=\"worker\""))
                    .isGreaterThan(0.0);

            Set<String> used = new TreeSet<>();
            try (Stream<Path> dashboards = Files.list(Path.of("..", "k8s", "grafana"))) {
                for (Path d :
                        dashboards.filter(f -> f.toString().endsWith(".json")).toList()) {
                    Matcher m = Pattern.compile("\\bvertx_[a-z_]+").matcher(Files.readString(d));
                    while (m.find()) {
                        used.add(m.group());
                    }
                }
            }
            assertThat(used).as("the dashboards use Vert.x meters").isNotEmpty();
            for (String name : used) {
                assertThat(coordinator).as(name + " on the coordinator").contains(name + "{");
                assertThat(worker).as(name + " on the worker").contains(name + "{");
            }
            for (String scraped : new String[] {coordinator, worker}) {
                assertThat(scraped)
                        .as("no label from a path, an address or a digest")
                        .doesNotContain("path=")
                        .doesNotContain("remote=")
                        .doesNotContain("local=")
                        .doesNotContain("address=")
                        .doesNotContain("sha256")
                        .doesNotContain("vx/app")
                        .doesNotContain("pool_name=\"127.0.0.1");
                assertThat(scraped)
                        .as("gauges Vert.x registers once per connection, request or pool are not exported")
                        .doesNotContain("pool_type=\"http\"")
                        .doesNotContain("_active_connections")
                        .doesNotContain("_active_requests")
                        .contains("vertx_http_client_requests_total");
            }
        }
    }
}
