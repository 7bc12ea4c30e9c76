package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.cli.ControlClient.JobQuery;
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
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes stop sequence of a worker pod against real processes: the {@code preStop} hook
 * ({@code GET /drain}) answers once the running copy is handed back, well before its lease could
 * have expired; readiness turns 503; SIGTERM then ends the process promptly; another worker
 * finishes the job.
 */
class WorkerDrainIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final FerryProcesses ferry = new FerryProcesses();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() throws Exception {
        ferry.close();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDrainedWorkerHandsItsCopyBackAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        SeededImage image =
                TestImages.forRegistry(source.registry()).pushLargeLayerImage("slow/app", "v1", 24L << 20, 17);
        // 2 MiB/s over the link: the copy takes about 12 s, so it is running when the drain starts.
        Path schedule = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, region: eu }
          - { name: mirror, url: "%s", insecure: true, region: us }
        links:
          - { from: eu, to: us, bandwidth: 2MiB/s }
        policies:
          - name: slow
            source: { registry: source, repositories: ["slow/app"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(source.url(), mirror.url()));
        int api = ferry.coordinator(dir, schedule);
        int metrics = FreePort.forListener();
        Process first =
                ferry.worker(dir, api, "w1", "us", 1, "--metrics", "127.0.0.1:" + metrics, "--drain-timeout", "1");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> get(metrics, "/health/ready").statusCode() == 200);

        FerryProcess.Result sync =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api, "sync", "--policy", "slow", "--json");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        String run = json.readTree(sync.stdout()).path("run").asText();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        ferry.api(api).jobs(JobQuery.all().withState("leased")).size() == 1);
        Thread.sleep(1000);

        long asked = System.nanoTime();
        HttpResponse<String> drain = get(metrics, "/drain");
        Duration took = Duration.ofNanos(System.nanoTime() - asked);
        assertThat(drain.statusCode()).isEqualTo(200);
        assertThat(json.readTree(drain.body()).path("active").asInt()).isZero();
        assertThat(took).as("1 s grace, then the hand-back").isLessThan(Duration.ofSeconds(10));
        assertThat(get(metrics, "/health/ready").statusCode()).isEqualTo(503);
        // Handed back, not left to expire: the 15 s lease TTL has not passed yet.
        JsonNode job = ferry.api(api).jobs(JobQuery.all().withPolicy("slow")).get(0);
        assertThat(job.path("state").asText()).isNotEqualTo("leased").isNotEqualTo("succeeded");
        assertThat(new Skopeo().exists("docker://" + mirror.host() + "/slow/app:v1"))
                .isFalse();

        first.destroy(); // SIGTERM, as the kubelet sends after preStop
        assertThat(first.waitFor(20, TimeUnit.SECONDS))
                .as("the worker exits after SIGTERM")
                .isTrue();
        assertThat(first.exitValue()).isEqualTo(143);

        ferry.worker(dir, api, "w2", "us", 1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        "succeeded".equals(ferry.api(api).run(run).path("state").asText()));
        assertThat(new Skopeo().manifestDigest("docker://" + mirror.host() + "/slow/app:v1"))
                .isEqualTo(image.digest());
    }
}
