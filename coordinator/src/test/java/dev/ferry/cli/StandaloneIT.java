package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry standalone}: a schedule replicated end to end with {@code --once}, then a no-op;
 * its worker reaching the coordinator in-process.
 */
class StandaloneIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension locked = RegistryExtension.basicAuth("ci", "standalone-Pw-42");

    private final Skopeo skopeo = new Skopeo();

    private Path schedule(Path dir, String extra) throws Exception {
        return Files.writeString(
                dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
          - name: locked
            url: "%s"
            insecure: true
            credentials: { username: ci, passwordFile: locked.pw }
        defaults:
          trigger: { manual: true }
        policies:
          - name: apps
            source: { registry: source, repositories: ["apps/*"], tags: { include: ["^v.*"] } }
            targets: [ { registry: mirror, prefix: "mirror/" } ]
        %s""".formatted(source.url(), mirror.url(), locked.url(), extra));
    }

    @Test
    void reconcilesEveryPolicyOnceThenFindsNothingToDo(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        SeededImage index = images.pushOciIndex("apps/web", "v1", 41, 3000, 9000);
        SeededImage single = images.pushOciImage("apps/api", "v2", 42, 4000);
        images.pushOciImage("apps/api", "dev", 43, 100);
        Path file = schedule(dir, "");

        FerryProcess.Result first = FerryProcess.run(
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        assertThat(first.stdout()).contains("policy apps: succeeded").contains("2 copied");
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/mirror/apps/web:v1"))
                .isEqualTo(index.digest());
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/mirror/apps/api:v2"))
                .isEqualTo(single.digest());
        assertThat(skopeo.exists("docker://" + mirror.host() + "/mirror/apps/api:dev"))
                .isFalse();

        FerryProcess.Result second = FerryProcess.run(
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
        assertThat(second.stdout()).contains("0 copied, 2 up to date");
    }

    @Test
    void theInProcessWorkerLeasesWithoutAnyHttpCallToTheApi(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        // Repositories of their own: the other tests share the source registry.
        SeededImage web = images.pushOciImage("inproc/web", "v3", 45, 2000);
        SeededImage api = images.pushOciImage("inproc/api", "v3", 46, 2000);
        Path file = schedule(dir, """
          - name: inproc
            source: { registry: source, repositories: ["inproc/*"] }
            targets: [ { registry: mirror, prefix: "mirror/" } ]
        """);
        try (StandaloneServer server = StandaloneServer.start(dir, file)) {
            FerryProcess.Result sync = server.ctl("sync", "--policy", "inproc", "--wait");
            assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
            assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/mirror/inproc/web:v3"))
                    .isEqualTo(web.digest());
            assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/mirror/inproc/api:v3"))
                    .isEqualTo(api.digest());

            String metrics = Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(
                            server::metrics,
                            m -> VertxMetricsIT.sum(m, "vertx_http_server_requests_total", "method=\"POST\"") >= 1);
            // Both jobs were leased, fenced and completed, yet the API served one POST: ctl's sync.
            // Over HTTP each job would have cost a lease poll, a commit intent and a completion.
            assertThat(metrics)
                    .contains("ferry_leases_granted_total{tier=\"normal\"} 2.0")
                    .contains("ferry_jobs_completed_total{outcome=\"succeeded\",tier=\"normal\"} 2.0");
            assertThat(VertxMetricsIT.sum(metrics, "vertx_http_server_requests_total", "method=\"POST\""))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aPolicyThatCannotReachItsTargetExitsOneAndNamesTheProblem(@TempDir Path dir) throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("other/locked", "v1", 44, 1000);
        Path file = schedule(dir, """
          - name: to-locked
            source: { registry: source, repositories: ["other/locked"] }
            targets: [ { registry: locked } ]
        """);

        FerryProcess.Result r = FerryProcess.run(
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("policy to-locked: failed").contains("locked.pw");
        assertThat(r.stdout() + r.stderr()).doesNotContain("standalone-Pw-42");
    }

    @Test
    void anInvalidScheduleExitsTwoBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bad.yaml"), "version: 1\nregistries:\n  - { name: x, url: \"ftp://x\" }\n");

        FerryProcess.Result r = FerryProcess.run("standalone", "--config", file.toString(), "--once");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains(file + ":3:").contains("registries[0].url");
    }
}
