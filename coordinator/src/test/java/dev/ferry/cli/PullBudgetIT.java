package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.RateLimitProxy;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Hub's pull rate limit, end to end through {@code ferry standalone}: a proxy in front of
 * a real registry counts manifest GETs down from a small budget and announces it in
 * {@code ratelimit-*} headers. A sync that needs more pulls than are left stops before the
 * budget runs out: the jobs beyond it are held with the reason, none fails and the registry
 * never has to answer 429; digests are compared with HEAD, which costs nothing.
 */
class PullBudgetIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final ObjectMapper json = new ObjectMapper();
    private StandaloneServer server;
    private RateLimitProxy hub;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void jobsBeyondThePullBudgetAreHeldWithTheReasonAndNoneFails(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        for (int i = 1; i <= 4; i++) {
            images.pushOciImage("library/app", "v" + i, 80 + i, 200);
        }
        hub = RateLimitProxy.start(source.host(), 2, 21600);
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: hub, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: apps
            source: { registry: hub, repositories: ["library/app"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(hub.url(), mirror.url()));
        server = StandaloneServer.start(dir, schedule);

        FerryProcess.Result sync = server.ctl("sync", "--policy", "apps");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();

        JsonNode held = Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> jobs("succeeded").size() + jobs("held").size() == 4 ? jobs("held") : null,
                        jobs -> jobs != null);
        assertThat(jobs("succeeded")).hasSize(2);
        assertThat(held).hasSize(2).allSatisfy(job -> {
            assertThat(job.path("attempts").asInt())
                    .as("no attempt counted while held")
                    .isZero();
            assertThat(job.path("lastError").asText())
                    .contains("registry " + hub.hostPort()
                            + ": pull budget exhausted (0 of 2 manifest pulls per 6h left); held, next try in");
        });
        assertThat(jobs("failed")).isEmpty();
        assertThat(hub.tooManyRequests())
                .as("the registry never had to refuse a pull")
                .isZero();
        assertThat(hub.pulls()).isEqualTo(2);
        assertThat(hub.heads()).as("digests were compared with HEAD").isPositive();
        String metrics = server.metrics();
        assertThat(metrics)
                .contains("ferry_registry_pull_budget_limit{registry=\"hub\"} 2.0")
                .contains("ferry_registry_pull_budget_remaining{registry=\"hub\"} 0.0");
    }

    private JsonNode jobs(String state) throws Exception {
        return json.readTree(server.get("/v1/jobs?policy=apps&state=" + state));
    }
}
