package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.ferry.cli.ControlClient.JobQuery;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryProcess;
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
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health, routes, failover and failback end to end through {@code ferry standalone}, with
 * real registries: {@code mirror-a} (the preferred mirror of route {@code ci}) is killed and
 * restarted, failed over and back by hand, and drilled. {@code mirror-b} and the source stay up.
 */
class FailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirrorB = RegistryExtension.plain();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Skopeo skopeo = new Skopeo();
    private RegistryProcess mirrorA;

    @RegisterExtension
    final Standalones standalones = new Standalones();

    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (mirrorA != null) {
            mirrorA.close();
        }
    }

    private StandaloneServer start(Path dir, String repo, String failbackAfter) throws Exception {
        mirrorA = RegistryProcess.plain();
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - name: mirror-a
            url: "%s"
            insecure: true
            retry: { maxAttempts: 2, initialBackoff: 50ms, maxBackoff: 100ms }
            circuitBreaker: { minimumCalls: 2, openFor: 2s }
            timeouts: { connect: 1s }
          - { name: mirror-b, url: "%s", insecure: true }
        policies:
          - name: to-a
            source: { registry: source, repositories: ["%s"] }
            targets: [ { registry: mirror-a } ]
            trigger: { manual: true }
          - name: to-b
            source: { registry: source, repositories: ["%s"] }
            targets: [ { registry: mirror-b } ]
            trigger: { manual: true }
        routes:
          - { name: ci, region: default, mirrors: [mirror-a, mirror-b, source], teams: [build] }
        failover: { probeInterval: 1s, probeTimeout: 500ms, downAfter: 2, failbackAfter: %s }
        """.formatted(
                        source.url(), mirrorA.url(), mirrorB.url(), repo, repo, failbackAfter));
        server = standalones.start(dir, schedule);
        for (String policy : List.of("to-a", "to-b")) {
            FerryProcess.Result sync = server.ctl("sync", "--policy", policy, "--wait");
            assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
        }
        awaitActive("mirror-a", Duration.ofSeconds(30));
        return server;
    }

    private JsonNode jobs(String state, String policy) {
        return server.api().jobs(JobQuery.all().withState(state).withPolicy(policy));
    }

    private JsonNode registry(String name) {
        return server.api().registry(name).orElseThrow(() -> new AssertionError("no registry " + name));
    }

    private String active() throws Exception {
        try {
            return server.api().route("ci").path("active").asText();
        } catch (ControlClient.ApiError e) {
            return "(not computed: " + e.status() + ")";
        }
    }

    private void awaitActive(String mirror, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(this::active, mirror::equals);
    }

    private List<String> hostsInToml() throws Exception {
        List<String> hosts = new ArrayList<>();
        new TomlMapper()
                .readTree(server.api().routeFile("ci", "hosts.toml"))
                .path("host")
                .fieldNames()
                .forEachRemaining(hosts::add);
        return hosts;
    }

    @Test
    void aKilledMirrorLeavesItsRouteItsJobsHoldAndItFailsBackOnlyAfterCatchingUp(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("outage/app", "v1", 11, 1500, 2500);
        start(dir, "outage/*", "3s");
        assertThat(hostsInToml()).containsExactly(mirrorA.url(), mirrorB.url());

        long killedAt = System.nanoTime();
        mirrorA.kill();
        awaitActive("mirror-b", Duration.ofSeconds(15));
        double switchSeconds = (System.nanoTime() - killedAt) / 1e9;
        LOG.info("route ci switched {} s after mirror-a was killed (downAfter 2 x probeInterval 1s)", switchSeconds);
        // downAfter x probeInterval, plus one interval of phase and the probe timeout; a loaded CI machine gets slack.
        assertThat(switchSeconds).isLessThan(8.0);
        JsonNode down = registry("mirror-a");
        assertThat(down.path("state").asText()).isEqualTo("down");
        assertThat(down.path("inRoutes").asBoolean()).isFalse();
        assertThat(down.path("holdsWrites").asText()).contains("mirror-a is down");
        assertThat(hostsInToml()).containsExactly(mirrorB.url());

        // Changes during the outage: v2 is synced (its job to mirror-a must hold), v3 is not synced at all.
        SeededImage v2 = images.pushOciImage("outage/app", "v2", 12, 1700);
        SeededImage v3 = images.pushOciImage("outage/app", "v3", 13, 1900);
        assertThat(server.ctl("sync", "--policy", "to-a").exitCode()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jobs("held", "to-a").size() >= 1);
        JsonNode held = jobs("held", "to-a").get(0);
        assertThat(held.path("attempts").asInt())
                .as("no attempt counted while held")
                .isZero();
        assertThat(jobs("failed", null)).isEmpty();

        RegistryProcess restarted = mirrorA.restart();
        mirrorA = restarted;
        // Back up, but not back in the route before its catch-up is verified and it stayed healthy 3 s.
        List<String> phases = new ArrayList<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode a = registry("mirror-a");
                    String phase = a.path("catchUp").path("phase").asText("none");
                    if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                        phases.add(phase);
                    }
                    if (!"mirror-a".equals(active())) {
                        return false;
                    }
                    return true;
                });
        LOG.info("catch-up phases seen: {}", phases);
        assertThat(phases).contains("verified");
        // What changed during the outage is on mirror-a by the time consumers are sent back to it.
        assertThat(skopeo.manifestDigest("docker://" + mirrorA.host() + "/outage/app:v3"))
                .isEqualTo(v3.digest());
        assertThat(skopeo.manifestDigest("docker://" + mirrorA.host() + "/outage/app:v2"))
                .isEqualTo(v2.digest());
        assertThat(jobs("failed", null)).as("no job failed through the outage").isEmpty();
        assertThat(jobs("held", null)).as("the held jobs resumed").isEmpty();
        assertThat(hostsInToml()).containsExactly(mirrorA.url(), mirrorB.url());

        String metrics = server.metrics();
        assertThat(metrics).contains("ferry_failovers_total{mode=\"auto\",registry=\"mirror-a\"} 1.0");
        assertThat(metrics).contains("ferry_failbacks_total{mode=\"auto\",registry=\"mirror-a\"} 1.0");
        assertThat(metrics).contains("ferry_route_active{registry=\"mirror-a\",route=\"ci\"} 1.0");
        assertThat(metrics).contains("ferry_registry_health{registry=\"mirror-a\",state=\"healthy\"} 1.0");
        assertThat(server.api().audit())
                .as("the outage is in the audit ledger")
                .contains("\"registry.failover\"")
                .contains("\"registry.catchup.verified\"")
                .contains("\"registry.failback\"")
                .contains("\"route.switch\"");
    }

    @Test
    void manualFailoverAndFailbackRefusedBeforeTheCatchUpUnlessForced(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("manual/app", "v1", 21, 1500);
        start(dir, "manual/*", "1h");

        FerryProcess.Result failover = server.ctl("failover", "--registry", "mirror-a", "--reason", "disk replacement");
        assertThat(failover.exitCode())
                .as(failover.stdout() + failover.stderr())
                .isZero();
        assertThat(failover.stdout()).contains("failed over").contains("out-of-service");
        assertThat(active()).as("the route switched before the answer").isEqualTo("mirror-b");

        SeededImage v2 = images.pushOciImage("manual/app", "v2", 22, 1600);
        FerryProcess.Result refused = server.ctl("failback", "--registry", "mirror-a");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stdout()).contains("failback refused").contains("catch-up started");
        assertThat(active()).isEqualTo("mirror-b");

        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> registry("mirror-a").path("catchUp").path("phase").asText(), "verified"::equals);
        assertThat(skopeo.manifestDigest("docker://" + mirrorA.host() + "/manual/app:v2"))
                .isEqualTo(v2.digest());
        assertThat(active()).as("failbackAfter is 1h: no automatic failback").isEqualTo("mirror-b");

        FerryProcess.Result back = server.ctl("failback", "--registry", "mirror-a", "--json");
        assertThat(back.exitCode()).as(back.stdout() + back.stderr()).isZero();
        assertThat(json.readTree(back.stdout()).path("inRoutes").asBoolean()).isTrue();
        assertThat(active()).isEqualTo("mirror-a");

        assertThat(server.ctl("drain", "--registry", "mirror-a").exitCode()).isZero();
        assertThat(registry("mirror-a").path("outOfService").path("mode").asText())
                .isEqualTo("drain");
        assertThat(active()).isEqualTo("mirror-b");
        FerryProcess.Result forced = server.ctl("failback", "--registry", "mirror-a", "--force");
        assertThat(forced.exitCode()).as(forced.stdout() + forced.stderr()).isZero();
        assertThat(active()).isEqualTo("mirror-a");

        FerryProcess.Result status = server.ctl("status");
        assertThat(status.stdout())
                .contains("REGISTRY")
                .contains("mirror-a")
                .contains("ROUTE")
                .contains("ci");
        String metrics = server.metrics();
        assertThat(metrics).contains("ferry_failovers_total{mode=\"failover\",registry=\"mirror-a\"} 1.0");
        assertThat(metrics).contains("ferry_failbacks_total{mode=\"forced\",registry=\"mirror-a\"} 1.0");
    }

    @Test
    void aDrillSwitchesRoutesHoldsJobsReportsAndLeavesNoTrace(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("drill/app", "v1", 31, 1500);
        start(dir, "drill/*", "1h");
        JsonNode before = server.api().route("ci");
        String etagBefore = etag("/v1/routes/ci");
        JsonNode registryBefore = registry("mirror-a");
        List<String> tagsBefore = tags(mirrorA, "drill/app");

        // The drill runs in the background; during it, a sync's job to mirror-a is held.
        var drill = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return server.ctl("drill", "--registry", "mirror-a", "--duration", "4s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitActive("mirror-b", Duration.ofSeconds(10));
        assertThat(registry("mirror-a").path("state").asText()).isEqualTo("out-of-service");
        SeededImage v2 = images.pushOciImage("drill/app", "v2", 32, 1600);
        // Through the API client, not a ctl JVM, whose start on a loaded machine can outlast the 4 s drill.
        assertThat(server.api().sync("to-a", false).path("run").asText()).isNotEmpty();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jobs("held", "to-a").size() >= 1);

        FerryProcess.Result report = drill.get(120, java.util.concurrent.TimeUnit.SECONDS);
        LOG.info("drill output:\n{}", report.stdout());
        assertThat(report.exitCode()).as(report.stdout() + report.stderr()).isZero();
        assertThat(report.stdout())
                .contains("PASSED")
                .contains("ci: mirror-a -> mirror-b")
                .contains("jobs failed: 0")
                .containsPattern("jobs held at restore: [1-9]")
                .contains("catch-up after restore:");

        // No trace: the registry and the route are as before (same etag), the held job went through.
        assertThat(active()).isEqualTo("mirror-a");
        JsonNode after = server.api().route("ci");
        assertThat(after.path("active").asText())
                .isEqualTo(before.path("active").asText());
        assertThat(etag("/v1/routes/ci")).isEqualTo(etagBefore);
        JsonNode registryAfter = registry("mirror-a");
        assertThat(registryAfter.path("state").asText())
                .isEqualTo(registryBefore.path("state").asText());
        assertThat(registryAfter.path("inRoutes").asBoolean()).isTrue();
        assertThat(registryAfter.path("outOfService").isNull()).isTrue();
        assertThat(registryAfter.path("catchUp").isNull()).isTrue();
        assertThat(skopeo.manifestDigest("docker://" + mirrorA.host() + "/drill/app:v2"))
                .isEqualTo(v2.digest());
        List<String> tagsAfter = tags(mirrorA, "drill/app");
        assertThat(tagsAfter).containsExactlyInAnyOrderElementsOf(concat(tagsBefore, "v2"));
        assertThat(jobs("failed", null)).isEmpty();
        assertThat(server.api().audit())
                .as("the drill's only trace: its ledger entries")
                .contains("\"drill.start\"")
                .contains("\"drill.restore\"")
                .contains("\"drill.end\"");
    }

    private String etag(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .headers()
                .firstValue("ETag")
                .orElseThrow();
    }

    private List<String> tags(RegistryProcess registry, String repo) throws Exception {
        JsonNode list = json.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(registry.url() + "/v2/" + repo + "/tags/list"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        List<String> out = new ArrayList<>();
        list.path("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> out = new ArrayList<>(list);
        out.add(more);
        return out;
    }
}
