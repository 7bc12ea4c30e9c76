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
 * Drift through {@code ferry ctl drift} against a running {@code standalone} and real
 * registries: someone pushes over a tag Ferry wrote; a report-only policy lists it, a repair
 * policy also puts Ferry's write back, and the next check finds nothing.
 */
class DriftIT {

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
    void driftIsReportedOrRepairedAsThePolicySays(@TempDir Path dir) throws Exception {
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - { name: watch, onDrift: report, source: { registry: source, repositories: [dr/app] },
              targets: [ { registry: mirror, prefix: watch/ } ] }
          - { name: fix, onDrift: repair, source: { registry: source, repositories: [dr/app] },
              targets: [ { registry: mirror, prefix: fix/ } ] }
        """);
        server = StandaloneServer.start(dir, schedule);
        SeededImage ours = TestImages.forRegistry(source.registry()).pushOciImage("dr/app", "v1", 101, 1200);
        assertThat(server.ctl("sync", "--policy", "watch", "--wait").exitCode()).isZero();
        assertThat(server.ctl("sync", "--policy", "fix", "--wait").exitCode()).isZero();
        assertThat(server.ctl("drift", "--policy", "watch", "--check").exitCode())
                .as("nothing drifted yet")
                .isZero();

        TestImages dst = TestImages.forRegistry(mirror.registry());
        SeededImage theirs = dst.pushOciImage("watch/dr/app", "v1", 102, 1300);
        dst.pushOciImage("fix/dr/app", "v1", 103, 1300);

        FerryProcess.Result watched = server.ctl("drift", "--policy", "watch", "--check", "--json");
        assertThat(watched.exitCode()).as(watched.stdout() + watched.stderr()).isEqualTo(1);
        assertThat(watched.stdout())
                .contains("\"expected\" : \"" + ours.digest() + "\"")
                .contains("\"actual\" : \"" + theirs.digest() + "\"")
                .contains("\"action\" : \"reported\"");
        assertThat(digestAt("watch/dr/app:v1")).as("report changes nothing").isEqualTo(theirs.digest());
        assertThat(server.ctl("drift").stdout()).contains("watch/dr/app");

        FerryProcess.Result fixed = server.ctl("drift", "--policy", "fix", "--check", "--json");
        assertThat(fixed.stdout()).contains("\"action\" : \"repairing (job ");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> ours.digest().equals(digestAt("fix/dr/app:v1")));
        assertThat(server.ctl("history", "--registry", "mirror", "--repository", "fix/dr/app", "--tag", "v1", "--json")
                        .stdout())
                .contains("\"kind\" : \"repair\"")
                .contains("\"policy\" : \"fix\"");
        assertThat(server.ctl("drift", "--policy", "fix", "--check").exitCode())
                .as("repaired: no drift left")
                .isZero();
        assertThat(server.ctl("drift", "--policy", "fix").stdout()).doesNotContain("fix/dr/app");
    }
}
