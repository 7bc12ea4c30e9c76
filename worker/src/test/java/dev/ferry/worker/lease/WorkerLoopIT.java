package dev.ferry.worker.lease;

import static dev.ferry.worker.lease.Jobs.await;
import static dev.ferry.worker.lease.Jobs.job;
import static dev.ferry.worker.lease.Jobs.lease;
import static dev.ferry.worker.lease.Jobs.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A worker copying a leased job between two real registries, its coordinator faked. */
@ExtendWith(VertxExtension.class)
class WorkerLoopIT {

    static final String USER = "ferry";
    static final String PASSWORD = "mirror-Pw-3c9e77";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.basicAuth(USER, PASSWORD);

    @TempDir
    Path tmp;

    private FakeCoordinatorWorker setup;
    private FakeCoordinator fake;
    private LeaseClient client;
    private WorkerLoop worker;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        setup = FakeCoordinatorWorker.start(
                vertx, WorkerOptions.of("it-worker", "eu-west", 2).withWaitSeconds(1));
        fake = setup.fake;
        client = setup.client;
        worker = setup.worker;
    }

    @AfterEach
    void tearDown() throws Exception {
        setup.close();
    }

    @Test
    void leasedRegistryToRegistryJobArrivesWithTheSameDigestAndCompletesSucceeded() throws Exception {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("team/app", "v1", 11, 4096, 200_000);
        Path passwordFile = Files.writeString(tmp.resolve("mirror.pw"), PASSWORD + "\n");
        fake.onRenew = id -> FakeCoordinator.Answer.ok(new dev.ferry.common.lease.LeaseProtocol.RenewResponse(600, 0));
        fake.enqueue(lease(
                "L1",
                12,
                600,
                job(
                        registry("hub-eu", source.url(), "team/app", "v1", null),
                        registry(
                                "mirror-us",
                                target.url(),
                                "mirror/team/app",
                                "v1",
                                new CredentialsRef(USER, null, passwordFile.toString(), null)))));

        await(worker.start());
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.completions.containsKey("L1"));

        assertThat(fake.completions.get("L1"))
                .usingRecursiveComparison()
                .ignoringFields("bytesCopied")
                .isEqualTo(new Completion(12, "succeeded", null, false));
        assertThat(fake.callsFor("L1"))
                .filteredOn(c -> c.endpoint().equals("commit-intent"))
                .extracting(FakeCoordinator.Call::body)
                .containsExactly(new CommitIntent(12, "v1", index.digest()));
        Skopeo skopeo = new Skopeo().withCreds(USER, PASSWORD);
        assertThat(skopeo.manifestDigest("docker://" + target.host() + "/mirror/team/app:v1"))
                .isEqualTo(index.digest());
        for (String child : index.childDigests()) {
            assertThat(skopeo.manifestDigest("docker://" + target.host() + "/mirror/team/app@" + child))
                    .isEqualTo(child);
        }
        assertThat(fake.completions.get("L1").error()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.completed() == 1 && worker.active() == 0);
    }
}
