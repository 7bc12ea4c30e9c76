package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.ControlClient.JobQuery;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
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
 * End to end through {@code ferry standalone}: a target registry that goes down in the middle of
 * a copy opens the worker's circuit breaker, the job is shown {@code held} with no attempt
 * counted, and it succeeds once the registry is back.
 */
class HeldJobIT {

    private static final String BLOBS = "/v2/.+/blobs/.+";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    @RegisterExtension
    final Standalones standalones = new Standalones();

    private StandaloneServer server;
    private FaultProxy proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private JsonNode jobs(String state) {
        return server.api().jobs(JobQuery.all().withState(state).withPolicy("apps"));
    }

    @Test
    void aJobWhoseTargetIsDownIsHeldNotFailedAndSucceedsOnceTheTargetIsBack(@TempDir Path dir) throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("held/app", "v1", 71, 2000, 3000);
        proxy = FaultProxy.start(mirror.host());
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - name: mirror
            url: "%s"
            insecure: true
            retry: { maxAttempts: 3, initialBackoff: 50ms, maxBackoff: 200ms }
            circuitBreaker: { minimumCalls: 3, openFor: 5s }
        policies:
          - name: apps
            source: { registry: source, repositories: ["held/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(source.url(), proxy.url()));
        server = standalones.start(dir, schedule);
        // Planning looks at the mirror's tags, not its blobs: the copy's first blob request waits
        // here, and the mirror goes down under it.
        proxy.on("*", BLOBS).stall();

        FerryProcess.Result sync = server.ctl("sync", "--policy", "apps");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
        proxy.awaitRequests("*", BLOBS, 1, Duration.ofSeconds(60));
        proxy.down();
        proxy.clear();

        JsonNode held = Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jobs("held"), jobs -> jobs.size() == 1)
                .get(0);
        assertThat(held.path("state").asText()).isEqualTo("held");
        assertThat(held.path("attempts").asInt())
                .as("no attempt counted while held")
                .isZero();
        assertThat(held.path("lastError").asText()).contains("registry mirror is unavailable");
        assertThat(held.path("notBefore").asText()).isNotEmpty();
        assertThat(jobs("failed")).isEmpty();
        assertThat(server.metrics()).contains("ferry_registry_circuit_state{registry=\"mirror\"} 2.0");

        proxy.up();

        JsonNode done = Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> jobs("succeeded"), jobs -> jobs.size() == 1)
                .get(0);
        assertThat(done.path("attempts").asInt())
                .as("the one attempt that succeeded")
                .isEqualTo(1);
        assertThat(new Skopeo().manifestDigest("docker://" + mirror.host() + "/held/app:v1"))
                .isEqualTo(image.digest());
        assertThat(server.metrics()).contains("ferry_registry_circuit_state{registry=\"mirror\"} 0.0");
    }
}
