package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator processes in one cluster and a separate worker process: a sync asked of
 * one member is planned, leased across members, copied and reported through ctl.
 */
class ClusterIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroy);
        processes.forEach(p -> {
            try {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
    }

    @Test
    void twoMembersAndAWorkerReplicateThroughCtlSyncWait(@TempDir Path dir) throws Exception {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("cl/app", "v1", 51, 2000, 6000);
        SeededImage other = TestImages.forRegistry(source.registry()).pushOciImage("cl/tool", "v3", 52, 3000);
        String name = "ferry-it-" + UUID.randomUUID();
        // Member 1 takes the cluster name from the schedule, member 2 from --cluster-name: they must meet.
        Path schedule = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        cluster: { name: %s }
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: cl
            source: { registry: source, repositories: ["cl/*"] }
            targets: [ { registry: mirror, prefix: "cluster/" } ]
            trigger: { manual: true }
        """.formatted(name, source.url(), mirror.url()));
        int m1 = FreePort.forListener();
        int m2 = FreePort.forListener();
        int api1 = FreePort.forListener();
        int api2 = FreePort.forListener();
        String members = "127.0.0.1:" + m1 + ",127.0.0.1:" + m2;
        processes.add(FerryProcess.start(
                dir.resolve("m1.log"),
                "coordinator",
                "--config",
                schedule.toString(),
                "--api",
                "127.0.0.1:" + api1,
                "--cluster-port",
                String.valueOf(m1),
                "--members",
                members,
                "--data-dir",
                dir.resolve("d1").toString()));
        processes.add(FerryProcess.start(
                dir.resolve("m2.log"),
                "coordinator",
                "--config",
                schedule.toString(),
                "--api",
                "127.0.0.1:" + api2,
                "--cluster-port",
                String.valueOf(m2),
                "--members",
                members,
                "--cluster-name",
                name,
                "--data-dir",
                dir.resolve("d2").toString()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> FerryProcess.ready(api1) && FerryProcess.ready(api2));
        int workerMetrics = FreePort.forListener();
        processes.add(FerryProcess.start(
                dir.resolve("w.log"),
                "worker",
                "--coordinator",
                "http://127.0.0.1:" + api2,
                "--region",
                "local",
                "--concurrency",
                "2",
                "--metrics",
                "127.0.0.1:" + workerMetrics));

        FerryProcess.Result sync = FerryProcess.run(
                "ctl", "--server", "http://127.0.0.1:" + api1, "sync", "--policy", "cl", "--wait", "--json");

        assertThat(sync.exitCode())
                .as(sync.stdout() + sync.stderr() + Files.readString(dir.resolve("w.log")))
                .isZero();
        assertThat(sync.stdout()).contains("\"state\" : \"succeeded\"").contains("\"succeeded\" : 2");
        Skopeo skopeo = new Skopeo();
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/cluster/cl/app:v1"))
                .isEqualTo(index.digest());
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/cluster/cl/tool:v3"))
                .isEqualTo(other.digest());

        String scraped = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + workerMetrics + "/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(scraped)
                .contains("ferry_worker_jobs_total{outcome=\"succeeded\"} 2.0")
                .contains("ferry_worker_copied_bytes_total{source_registry=\"source\",target_registry=\"mirror\"}");

        FerryProcess.Result again = FerryProcess.run(
                "ctl", "--server", "http://127.0.0.1:" + api2, "sync", "--policy", "cl", "--wait", "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("\"upToDate\" : 2");

        FerryProcess.Result paused =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api1, "pause", "--policy", "cl", "--json");
        assertThat(paused.exitCode()).as(paused.stderr()).isZero();
        assertThat(paused.stdout()).contains("\"paused\" : true");
        FerryProcess.Result refused =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api2, "sync", "--policy", "cl");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("paused");
        FerryProcess.Result resumed =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api1, "resume", "--policy", "cl", "--json");
        assertThat(resumed.stdout()).contains("\"paused\" : false");

        FerryProcess.Result unknown =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api1, "sync", "--policy", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("policy \"nope\" not found");
    }
}
