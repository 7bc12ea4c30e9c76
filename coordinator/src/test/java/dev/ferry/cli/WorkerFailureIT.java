package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A worker killed in the middle of a large blob: its lease expires, another worker finishes, no partial tag. */
class WorkerFailureIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final FerryProcesses ferry = new FerryProcesses();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() throws Exception {
        ferry.close();
    }

    private JsonNode get(int api, String path) throws Exception {
        return ferry.get(api, path);
    }

    @Test
    void aKilledWorkersLeaseExpiresAndAnotherWorkerFinishesTheJob(@TempDir Path dir) throws Exception {
        SeededImage big =
                TestImages.forRegistry(source.registry()).pushLargeLayerImage("big/app", "v1", 600L * 1024 * 1024, 61);
        Path schedule = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: big
            source: { registry: source, repositories: ["big/app"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(source.url(), mirror.url()));
        int api = ferry.coordinator(dir, schedule);
        Process first = ferry.worker(dir, api, "w1", "local", 1);

        FerryProcess.Result sync =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api, "sync", "--policy", "big", "--json");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        String run = json.readTree(sync.stdout()).path("run").asText();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get(api, "/v1/jobs?state=leased").size() == 1);
        Thread.sleep(700); // well into the 600 MiB blob

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Skopeo skopeo = new Skopeo();
        assertThat(skopeo.exists("docker://" + mirror.host() + "/big/app:v1")).isFalse();

        ferry.worker(dir, api, "w2", "local", 1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "succeeded"
                        .equals(get(api, "/v1/runs/" + run).path("state").asText()));

        JsonNode job = get(api, "/v1/jobs?policy=big").get(0);
        assertThat(job.path("state").asText()).isEqualTo("succeeded");
        assertThat(job.path("fencingToken").asLong()).as("leased twice").isGreaterThanOrEqualTo(2);
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/big/app:v1"))
                .isEqualTo(big.digest());
    }
}
