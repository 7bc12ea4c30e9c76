package dev.ferry.worker.lease;

import static dev.ferry.worker.lease.Jobs.await;
import static dev.ferry.worker.lease.Jobs.job;
import static dev.ferry.worker.lease.Jobs.lease;
import static dev.ferry.worker.lease.Jobs.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import dev.ferry.testing.TokenRequest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker keeps its registry clients between jobs: the second job to a token-auth registry
 * with the same credentials reuses the bearer token the first one fetched, and a rotated
 * secret file takes effect on the next job (a new client, not the cached token).
 */
@ExtendWith(VertxExtension.class)
class ClientReuseIT {

    static final String USER = "ferry";
    static final String PASSWORD = "reuse-Pw-91d2";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.tokenAuth(USER, PASSWORD);

    @TempDir
    Path tmp;

    private FakeCoordinatorWorker setup;
    private FakeCoordinator fake;
    private LeaseClient client;
    private WorkerLoop worker;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        setup = FakeCoordinatorWorker.start(
                vertx, WorkerOptions.of("reuse-worker", "eu-west", 1).withWaitSeconds(1));
        fake = setup.fake;
        client = setup.client;
        worker = setup.worker;
        fake.onRenew = id -> FakeCoordinator.Answer.ok(new dev.ferry.common.lease.LeaseProtocol.RenewResponse(600, 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        setup.close();
    }

    @Test
    void theSecondJobReusesTheTokenAndARotatedSecretIsUsedByTheNext() throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        SeededImage v1 = images.pushOciImage("team/app", "v1", 31, 2048);
        SeededImage v2 = images.pushOciImage("team/app", "v2", 32, 2048);
        images.pushOciImage("team/app", "v3", 33, 2048);
        Path passwordFile = Files.writeString(tmp.resolve("mirror.pw"), PASSWORD + "\n");
        CredentialsRef creds = new CredentialsRef(USER, null, passwordFile.toString(), null);
        String pushScope = "repository:mirror/team/app:pull,push";
        await(worker.start());

        for (String tag : List.of("v1", "v2")) {
            fake.enqueue(lease(
                    "L-" + tag,
                    1,
                    600,
                    job(
                            registry("hub", source.url(), "team/app", tag, null),
                            registry("mirror", target.url(), "mirror/team/app", tag, creds))));
            await().atMost(Duration.ofSeconds(60)).until(() -> fake.completions.containsKey("L-" + tag));
            assertThat(fake.completions.get("L-" + tag).outcome()).isEqualTo("succeeded");
        }
        Skopeo skopeo = new Skopeo().withCreds(USER, PASSWORD);
        assertThat(skopeo.manifestDigest("docker://" + target.host() + "/mirror/team/app:v1"))
                .isEqualTo(v1.digest());
        assertThat(skopeo.manifestDigest("docker://" + target.host() + "/mirror/team/app:v2"))
                .isEqualTo(v2.digest());
        List<TokenRequest> fetched = target.tokenIssuer().requestsWithScope(pushScope);
        assertThat(fetched)
                .as("push tokens fetched for two jobs: the second reuses the first's")
                .hasSize(1);

        // The secret is rotated to a wrong one: the next job must use it and be refused.
        Files.writeString(passwordFile, "rotated-but-wrong\n");
        fake.enqueue(lease(
                "L-v3",
                1,
                600,
                job(
                        registry("hub", source.url(), "team/app", "v3", null),
                        registry("mirror", target.url(), "mirror/team/app", "v3", creds))));
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.completions.containsKey("L-v3"));
        assertThat(fake.completions.get("L-v3").outcome()).isNotEqualTo("succeeded");
        assertThat(target.tokenIssuer().requests()).anyMatch(r -> !r.authenticated());
    }
}
