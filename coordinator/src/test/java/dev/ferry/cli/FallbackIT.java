package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.CorruptingProxy;
import dev.ferry.testing.FreePort;
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
 * {@code fallbackUrls} against real registries: with the primary registry stopped, the plan
 * and the copy read from a replica holding the same content, and the run says so in the audit
 * trail; a fallback that serves other bytes for a digest is refused
 * by digest verification and nothing is written.
 */
class FallbackIT {

    @RegisterExtension
    static RegistryExtension primary = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension replica = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final Skopeo skopeo = new Skopeo();
    private StandaloneServer server;
    private CorruptingProxy corrupting;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (corrupting != null) {
            corrupting.close();
        }
    }

    @Test
    void aStoppedPrimaryIsReadThroughItsFallbackAndABadFallbackIsRefused(@TempDir Path dir) throws Exception {
        SeededImage atPrimary = TestImages.forRegistry(primary.registry()).pushOciImage("fb/app", "v1", 501, 1500);
        SeededImage atReplica = TestImages.forRegistry(replica.registry()).pushOciImage("fb/app", "v1", 501, 1500);
        assertThat(atReplica.digest()).as("the replica serves the same content").isEqualTo(atPrimary.digest());
        SeededImage other = TestImages.forRegistry(replica.registry()).pushOciImage("fb/other", "v1", 502, 1500);
        corrupting = CorruptingProxy.start(replica.url(), CorruptingProxy.Mode.FLIP_BYTE, null);
        String deadUrl = "http://127.0.0.1:" + FreePort.forListener();
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: hub, url: "%s", insecure: true, fallbackUrls: ["%s"], retry: { maxAttempts: 2 } }
          - { name: flaky, url: "%s", insecure: true, fallbackUrls: ["%s"], retry: { maxAttempts: 2 } }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: apps
            source: { registry: hub, repositories: [fb/app] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
          - name: bad
            source: { registry: flaky, repositories: [fb/other] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(
                        primary.url(), replica.url(), deadUrl, corrupting.url(), mirror.url()));
        primary.registry().kill();
        server = StandaloneServer.start(dir, schedule);

        assertThat(server.ctl("sync", "--policy", "apps").exitCode()).isZero();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> server.get("/v1/jobs?policy=apps").contains("\"succeeded\""));
        } catch (RuntimeException e) {
            System.out.println(server.get("/v1/jobs?policy=apps"));
            System.out.println(Files.readString(dir.resolve("standalone.log")));
            throw e;
        }
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/fb/app:v1"))
                .isEqualTo(atPrimary.digest());
        assertThat(server.get("/v1/audit"))
                .contains("\"source.fallback\"")
                .contains(replica.url())
                .contains("image/hub/fb/app@" + atPrimary.digest());

        // The bad fallback: each attempt is refused by digest verification (and retried within the
        // job's bounded attempts, as any corrupt read); the tag is never written.
        assertThat(server.ctl("sync", "--policy", "bad").exitCode()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> server.get("/v1/jobs?policy=bad").contains("mismatch"));
        assertThat(server.get("/v1/jobs?policy=bad"))
                .doesNotContain("\"succeeded\"")
                .containsIgnoringCase("digest");
        assertThat(corrupting.damagedResponses()).isPositive();
        assertThat(skopeo.exists("docker://" + mirror.host() + "/fb/other:v1")).isFalse();
        assertThat(other.digest()).isNotEqualTo(atPrimary.digest());
    }
}
