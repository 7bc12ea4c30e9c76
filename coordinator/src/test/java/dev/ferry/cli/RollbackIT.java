package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback through {@code ferry ctl} against a running {@code standalone} and real
 * registries: a tag and a whole run go back, their pins hold through the next sync, and
 * after {@code unpin} the sync brings the source's image again.
 */
class RollbackIT {

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

    @Test
    void aTagAndARunGoBackAndStayUntilUnpinned(@TempDir Path dir) throws Exception {
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        policies:
          - name: apps
            source: { registry: source, repositories: ["rb/*"] }
            targets: [ { registry: mirror, prefix: "m/" } ]
            trigger: { manual: true }
        """);
        server = StandaloneServer.start(dir, schedule);
        TestImages src = TestImages.forRegistry(source.registry());

        SeededImage web1 = src.pushOciImage("rb/web", "v1", 91, 1200);
        SeededImage api1 = src.pushOciImage("rb/api", "v1", 92, 1200);
        assertThat(server.ctl("sync", "--policy", "apps", "--wait").exitCode()).isZero();
        SeededImage web2 = src.pushOciImage("rb/web", "v1", 93, 1300);
        SeededImage api2 = src.pushOciImage("rb/api", "v1", 94, 1300);
        FerryProcess.Result second = server.ctl("sync", "--policy", "apps", "--wait", "--json");
        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
        String secondRun = second.stdout().replaceAll("(?s).*\"run\" : \"([^\"]+)\".*", "$1");
        assertThat(digestAt("m/rb/web:v1")).isEqualTo(web2.digest());

        // One tag back to what it held before Ferry's last write.
        FerryProcess.Result one =
                server.ctl("rollback", "--registry", "mirror", "--repository", "m/rb/web", "--tag", "v1", "--json");
        assertThat(one.exitCode()).as(one.stdout() + one.stderr()).isZero();
        assertThat(one.stdout()).contains("\"to\" : \"" + web1.digest() + "\"");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> web1.digest().equals(digestAt("m/rb/web:v1")));
        assertThat(server.ctl("pins", "--json").stdout())
                .contains("\"tag\" : \"v1\"")
                .contains(web1.digest());
        assertThat(server.ctl("history", "--registry", "mirror", "--repository", "m/rb/web", "--tag", "v1", "--json")
                        .stdout())
                .contains("\"kind\" : \"rollback\"");

        // The pin holds: a new source image does not reach the pinned tag, and nothing conflicts.
        SeededImage web3 = src.pushOciImage("rb/web", "v1", 95, 1400);
        FerryProcess.Result pinned = server.ctl("sync", "--policy", "apps", "--wait");
        assertThat(pinned.exitCode()).as(pinned.stdout() + pinned.stderr()).isZero();
        assertThat(digestAt("m/rb/web:v1")).isEqualTo(web1.digest());

        // After unpin, the next sync brings the source's image: Ferry's rollback was its own write.
        assertThat(server.ctl("unpin", "--registry", "mirror", "--repository", "m/rb/web", "--tag", "v1")
                        .exitCode())
                .isZero();
        FerryProcess.Result after = server.ctl("sync", "--policy", "apps", "--wait");
        assertThat(after.exitCode()).as(after.stdout() + after.stderr()).isZero();
        assertThat(digestAt("m/rb/web:v1")).isEqualTo(web3.digest());

        // A whole run back: the second run wrote both tags; rb/api goes back to api1. rb/web's
        // write in that run is put back to web1 as well.
        FerryProcess.Result run = server.ctl("rollback", "--run", secondRun);
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> api1.digest().equals(digestAt("m/rb/api:v1"))
                        && web1.digest().equals(digestAt("m/rb/web:v1")));
        assertThat(api2.digest()).isNotEqualTo(api1.digest());

        // A digest the registry does not have is refused, and says so.
        FerryProcess.Result gone = server.ctl(
                "rollback",
                "--registry",
                "mirror",
                "--repository",
                "m/rb/api",
                "--tag",
                "v1",
                "--to",
                "sha256:" + "0".repeat(64));
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).contains("no longer in mirror/m/rb/api");
    }
}
