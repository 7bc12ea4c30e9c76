package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.ControlClient.JobQuery;
import dev.ferry.testing.CorruptingProxy;
import dev.ferry.testing.RegistryExtension;
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
 * Issue 22, item 9e: content that does not match its digest is a failed attempt, retried
 * within the job's bounded attempts, never {@code rejected} (which is the signature gate's).
 */
class CorruptContentOutcomeIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    @RegisterExtension
    final Standalones standalones = new Standalones();

    private StandaloneServer server;
    private CorruptingProxy corrupt;

    @AfterEach
    void stop() throws Exception {
        if (corrupt != null) {
            corrupt.close();
        }
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestFailsTheAttemptAndIsRetriedNotRejected(@TempDir Path dir) throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("bad/app", "v1", 231, 3000, 200_000);
        corrupt = CorruptingProxy.start(source.url(), CorruptingProxy.Mode.FLIP_BYTE, null);
        Path schedule = StandaloneServer.schedule(dir, corrupt.url(), mirror.url(), """
        policies:
          - name: bad
            source: { registry: source, repositories: ["bad/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """);
        server = standalones.start(dir, schedule);

        assertThat(server.ctl("sync", "--policy", "bad").exitCode()).isZero();
        JsonNode job = Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> server.api()
                                .jobs(JobQuery.all().withPolicy("bad"))
                                .path(0),
                        j -> j.path("attempts").asInt() >= 1);

        // Back in the queue for another attempt, with the cause; not rejected, not finished.
        assertThat(job.path("state").asText()).isEqualTo("queued");
        assertThat(job.path("lastError").asText()).contains("sha256:");
        assertThat(server.api().jobs(JobQuery.all().withState("rejected"))).isEmpty();
        // Every outcome's series exists from the start at 0: failed has counted, rejected has not.
        assertThat(server.metrics())
                .containsPattern("ferry_jobs_completed_total\\{outcome=\"failed\",tier=\"normal\"} [1-9]")
                .doesNotContainPattern("outcome=\"rejected\"[^}]*} [1-9]");
        assertThat(corrupt.damagedResponses()).isPositive();
        assertThat(new Skopeo().exists("docker://" + mirror.host() + "/bad/app:v1"))
                .isFalse();
    }
}
