package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry ctl rollback --repository R --target T (--before-run RUN | --at TIME)} against
 * a running standalone and real registries: after two runs that changed several tags, a whole
 * target repository goes back, each tag is pinned, a tag the later run created is left, and the
 * next sync keeps the pins.
 */
class RepositoryRollbackIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final Skopeo skopeo = new Skopeo();
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String digestAt(String repoTag) {
        return skopeo.manifestDigest("docker://" + mirror.host() + "/" + repoTag);
    }

    private String syncedRun() throws Exception {
        FerryProcess.Result run = server.ctl("sync", "--policy", "apps", "--wait", "--json");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return run.stdout().replaceAll("(?s).*\"run\" : \"([^\"]+)\".*", "$1");
    }

    @Test
    void aRepositoryGoesBackToBeforeARunOrToATimeAndStaysPinned(@TempDir Path dir) throws Exception {
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        policies:
          - name: apps
            source: { registry: source, repositories: ["rr/*"] }
            targets: [ { registry: mirror, prefix: "m/" } ]
            trigger: { manual: true }
        """);
        server = StandaloneServer.start(dir, schedule);
        TestImages src = TestImages.forRegistry(source.registry());

        SeededImage web1 = src.pushOciImage("rr/web", "v1", 401, 800);
        SeededImage web2 = src.pushOciImage("rr/web", "v2", 402, 800);
        SeededImage api1 = src.pushOciImage("rr/api", "v1", 403, 800);
        SeededImage api2 = src.pushOciImage("rr/api", "v2", 404, 800);
        syncedRun();
        Thread.sleep(50);
        Instant betweenRuns = Instant.now();
        Thread.sleep(50);
        SeededImage web1b = src.pushOciImage("rr/web", "v1", 405, 850);
        SeededImage web2b = src.pushOciImage("rr/web", "v2", 406, 850);
        src.pushOciImage("rr/web", "v3", 407, 850);
        SeededImage api1b = src.pushOciImage("rr/api", "v1", 408, 850);
        String second = syncedRun();
        assertThat(digestAt("m/rr/web:v1")).isEqualTo(web1b.digest());
        assertThat(digestAt("m/rr/web:v2")).isEqualTo(web2b.digest());

        // Before the second run: v1 and v2 go back, v3 (created by that run) stays, listed as skipped.
        FerryProcess.Result back = server.ctl(
                "rollback", "--json", "--repository", "m/rr/web", "--target", "mirror", "--before-run", second);
        assertThat(back.exitCode()).as(back.stdout() + back.stderr()).isZero();
        assertThat(back.stdout())
                .contains("mirror/m/rr/web:v3: did not exist before run " + second + "; Ferry does not delete tags");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> web1.digest().equals(digestAt("m/rr/web:v1"))
                        && web2.digest().equals(digestAt("m/rr/web:v2")));
        assertThat(skopeo.exists("docker://" + mirror.host() + "/m/rr/web:v3")).isTrue();

        // At a time: rr/api's v1 goes back; v2, which no run changed since, is left as it was.
        FerryProcess.Result at = server.ctl(
                "rollback", "--json", "--repository", "m/rr/api", "--target", "mirror", "--at", betweenRuns.toString());
        assertThat(at.exitCode()).as(at.stdout() + at.stderr()).isZero();
        assertThat(at.stdout()).contains("mirror/m/rr/api:v2: unchanged since then");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> api1.digest().equals(digestAt("m/rr/api:v1")));
        assertThat(digestAt("m/rr/api:v2")).isEqualTo(api2.digest());

        // Pinned: the next sync leaves the rolled-back tags, though the source has moved on.
        assertThat(server.ctl("pins").stdout())
                .contains(web1.digest())
                .contains(web2.digest())
                .contains(api1.digest());
        syncedRun();
        assertThat(digestAt("m/rr/web:v1")).isEqualTo(web1.digest());
        assertThat(digestAt("m/rr/api:v1")).isEqualTo(api1.digest());
        assertThat(api1b.digest()).isNotEqualTo(api1.digest());

        // A repository without history, and a usage error, say so.
        FerryProcess.Result none = server.ctl(
                "rollback",
                "--json",
                "--repository",
                "m/rr/none",
                "--target",
                "mirror",
                "--at",
                betweenRuns.toString());
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("mirror/m/rr/none");
        FerryProcess.Result usage = server.ctl("rollback", "--json", "--repository", "m/rr/web", "--target", "mirror");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).contains("a repository rollback takes --at TIME or --before-run RUN");
    }
}
