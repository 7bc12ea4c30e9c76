package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, items 2, 3 and 6 end to end: a source registry behind a {@link FaultProxy} pages a
 * tag list forever, stalls a manifest body after 20 bytes, or answers 500 and 503 now and then.
 * {@code ferry copy} and {@code ferry standalone} fail the affected repository with a clear
 * error, tag nothing for it, retry what is temporary, and copy the policy's other repositories.
 */
class HostileRegistryIT {

    private static final String PAGES_TAGS = "/v2/hostile/pages/tags/list";
    private static final String LOOP_ERROR = "list tags of hostile/pages at %s: the registry's pagination loops:"
            + " page 2 links again to last=v1; gave up after 2 pages and 2 entries";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private static SeededImage good;
    private static SeededImage flaky;
    private static SeededImage stalled;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private FaultProxy proxy;

    @RegisterExtension
    final Standalones standalones = new Standalones();

    private StandaloneServer server;

    @BeforeAll
    static void seed() {
        TestImages images = TestImages.forRegistry(source.registry());
        good = images.pushOciImage("hostile/good", "v1", 221, 3000);
        flaky = images.pushOciImage("hostile/flaky", "v1", 222, 3000);
        stalled = images.pushOciImage("hostile/stalled", "v1", 223, 3000);
        images.pushOciImage("hostile/pages", "v1", 224, 3000);
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start(source.host());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    /** Every {@code tags/list} of hostile/pages answers one tag and a next link to the same page. */
    private void pageForever() {
        proxy.on("GET", PAGES_TAGS)
                .answer(
                        200,
                        Map.of("Link", "<" + PAGES_TAGS + "?n=1&last=v1>; rel=\"next\""),
                        "{\"name\":\"hostile/pages\",\"tags\":[\"v1\"]}");
    }

    @Test
    void copyRetriesAManifest500AndA503WithRetryAfterAndSucceeds() throws Exception {
        proxy.on("GET", "/v2/hostile/flaky/manifests/.+").times(1).respond(500, null);
        proxy.on("GET", "/v2/hostile/flaky/manifests/.+").times(1).respond(503, 1);

        FerryProcess.Result r = FerryProcess.run(
                "copy",
                "--insecure",
                "docker://" + proxy.hostPort() + "/hostile/flaky:v1",
                "docker://" + mirror.host() + "/copied/flaky:v1");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(proxy.requests("GET", "/v2/hostile/flaky/manifests/.+"))
                .as("two failures, then the answer")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(new Skopeo().manifestDigest("docker://" + mirror.host() + "/copied/flaky:v1"))
                .isEqualTo(flaky.digest());
    }

    @Test
    void copyOfAManifestWhoseBodyStallsFailsWithTheIdleTimeoutAndTagsNothing() throws Exception {
        proxy.on("GET", "/v2/hostile/stalled/manifests/.+").stallResponseBodyAfter(20);

        FerryProcess.Result r = FerryProcess.run(
                "copy",
                "--insecure",
                "--idle-timeout",
                "1s",
                "docker://" + proxy.hostPort() + "/hostile/stalled:v1",
                "docker://" + mirror.host() + "/copied/stalled:v1");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr())
                .contains(
                        "GET manifest hostile/stalled:v1 at " + proxy.url() + ": no bytes moved for 1s (idle timeout)");
        assertThat(proxy.requests("GET", "/v2/hostile/stalled/manifests/.+"))
                .as("retried")
                .hasSizeGreaterThan(1);
        assertThat(tagsStatus("copied/stalled"))
                .as("nothing tagged on the target")
                .isEqualTo(404);
    }

    @Test
    void standaloneOncePlansThePolicysHealthyRepositoriesAndFailsTheOneThatPagesForever(@TempDir Path dir)
            throws Exception {
        pageForever();
        proxy.on("GET", "/v2/hostile/flaky/tags/list").times(1).respond(500, null);
        proxy.on("HEAD", "/v2/hostile/flaky/manifests/.+").times(1).respond(500, null);
        proxy.on("GET", "/v2/hostile/flaky/manifests/.+").times(1).respond(503, 1);
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - name: source
            url: "%s"
            insecure: true
            retry: { maxAttempts: 3, initialBackoff: 100ms, maxBackoff: 1s }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: apps
            source: { registry: source, repositories: [hostile/good, hostile/pages, hostile/flaky] }
            targets: [ { registry: mirror, prefix: once/ } ]
            trigger: { manual: true }
        """.formatted(proxy.url(), mirror.url()));

        FerryProcess.Result r = FerryProcess.run(
                "standalone",
                "--once",
                "--config",
                schedule.toString(),
                "--api",
                "127.0.0.1:" + dev.ferry.testing.FreePort.forListener(),
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stdout())
                .contains("policy apps: failed")
                .contains("2 copied")
                .contains("source source hostile/pages: " + LOOP_ERROR.formatted(proxy.url()));
        assertThat(proxy.requests("GET", PAGES_TAGS))
                .as("the loop is seen on its second page")
                .hasSize(2);
        Skopeo skopeo = new Skopeo();
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/once/hostile/good:v1"))
                .isEqualTo(good.digest());
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/once/hostile/flaky:v1"))
                .isEqualTo(flaky.digest());
        assertThat(tagsStatus("once/hostile/pages"))
                .as("nothing tagged for the failed repository")
                .isEqualTo(404);
    }

    @Test
    void aStandaloneJobWhoseManifestStallsFailsWithAnAttemptCountedWhileTheOthersAreCopied(@TempDir Path dir)
            throws Exception {
        pageForever();
        proxy.on("GET", "/v2/hostile/stalled/manifests/.+").stallResponseBodyAfter(20);
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - name: source
            url: "%s"
            insecure: true
            timeouts: { firstByte: 2s, idle: 2s }
            retry: { maxAttempts: 2, initialBackoff: 100ms, maxBackoff: 500ms }
            circuitBreaker: { minimumCalls: 50 }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: apps
            source: { registry: source, repositories: [hostile/good, hostile/pages, hostile/stalled] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(proxy.url(), mirror.url()));
        server = standalones.start(dir, schedule);

        FerryProcess.Result sync = server.ctl("sync", "--policy", "apps");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();

        JsonNode failed = Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> job("hostile/stalled"),
                        j -> j != null && j.path("attempts").asInt() >= 1);
        assertThat(failed.path("state").asText()).isIn("queued", "failed");
        assertThat(failed.path("lastError").asText())
                .contains("GET manifest hostile/stalled@" + stalled.digest() + " at " + proxy.url()
                        + ": no bytes moved for 2s (idle timeout)");
        JsonNode copied = Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> job("hostile/good"),
                        j -> j != null && j.path("state").asText().equals("succeeded"));
        assertThat(copied.path("attempts").asInt()).isEqualTo(1);
        assertThat(new Skopeo().manifestDigest("docker://" + mirror.host() + "/hostile/good:v1"))
                .isEqualTo(good.digest());
        assertThat(tagsStatus("hostile/stalled"))
                .as("nothing tagged for the stalled repository")
                .isEqualTo(404);
        assertThat(tagsStatus("hostile/pages")).isEqualTo(404);

        JsonNode run = get("/v1/runs/" + copied.path("run").asText());
        assertThat(run.path("error").asText())
                .contains("source source hostile/pages: " + LOOP_ERROR.formatted(proxy.url()));
        String log = Files.readString(dir.resolve("standalone.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("not planned: source source hostile/pages: " + LOOP_ERROR.formatted(proxy.url()));
        assertThat(server.metrics()).contains("ferry_plan_errors_total{policy=\"apps\"} 1.0");
    }

    private JsonNode job(String sourceRepository) throws Exception {
        for (JsonNode j : get("/v1/jobs?policy=apps")) {
            if (j.path("source").asText().startsWith("source/" + sourceRepository + "@")) {
                return j;
            }
        }
        return null;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    /** The mirror's answer to a tag list of {@code repository}: 404 when nothing was ever tagged there. */
    private int tagsStatus(String repository) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(mirror.url() + "/v2/" + repository + "/tags/list"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
