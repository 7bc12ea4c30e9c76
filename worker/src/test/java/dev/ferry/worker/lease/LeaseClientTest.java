package dev.ferry.worker.lease;

import static dev.ferry.worker.lease.Jobs.await;
import static dev.ferry.worker.lease.Jobs.job;
import static dev.ferry.worker.lease.Jobs.layout;
import static dev.ferry.worker.lease.Jobs.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.LeaseResponse;
import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.lease.LeaseProtocol.RenewResponse;
import dev.ferry.testing.FreePort;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LeaseClientTest {

    static final String TOKEN = "coord-Tk-8d1f";

    private Vertx vertx;
    private FakeCoordinator fake;
    private LeaseClient client;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        fake = await(new FakeCoordinator(vertx).start());
        client = new LeaseClient(vertx, fake.url() + "/", TOKEN);
    }

    @AfterEach
    void tearDown() {
        client.close();
        fake.close();
    }

    @Test
    void longPollReturnsQueuedLeasesAndEmptyWhenNoneCameWithinTheWait() throws Exception {
        Lease queued = lease(
                "L1",
                7,
                30_000,
                job(
                        layout("src", Path.of("/data/src"), "v1"),
                        layout("dst", Path.of("/data/dst"), "v1"),
                        "linux/amd64"));
        fake.enqueue(queued);

        Optional<LeaseResponse> first = await(client.lease("w 1/eu", new LeaseRequest("eu-west", 2, 1)));
        Optional<LeaseResponse> second = await(client.lease("w 1/eu", new LeaseRequest("eu-west", 2, 1)));

        assertThat(first).contains(new LeaseResponse(java.util.List.of(queued)));
        assertThat(second).isEmpty();
        assertThat(fake.leaseRequests).containsOnly(new LeaseRequest("eu-west", 2, 1));
        assertThat(fake.calls).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void renewCommitIntentAndCompleteSendTheirBodiesAndReadTheAnswers() throws Exception {
        fake.onRenew = id -> FakeCoordinator.Answer.ok(new RenewResponse(9_000, 5_000_000));
        fake.onCommitIntent = ci -> FakeCoordinator.Answer.ok(new CommitDecision(true, "sha256:" + "0".repeat(64)));

        RenewResponse renewed = await(client.renew("L1", new RenewRequest(1234)));
        CommitDecision decision =
                await(client.commitIntent("L1", new CommitIntent(7, "v1", "sha256:" + "1".repeat(64))));
        await(client.complete("L1", new Completion(7, "failed", "boom", true)));

        assertThat(renewed).isEqualTo(new RenewResponse(9_000, 5_000_000));
        assertThat(decision).isEqualTo(new CommitDecision(true, "sha256:" + "0".repeat(64)));
        assertThat(fake.callsFor("L1"))
                .extracting(FakeCoordinator.Call::body)
                .containsExactly(
                        new RenewRequest(1234),
                        new CommitIntent(7, "v1", "sha256:" + "1".repeat(64)),
                        new Completion(7, "failed", "boom", true));
    }

    @Test
    void conflictMeansTheLeaseIsLostAndOtherErrorsCarryStatusAndMessage() {
        fake.onRenew = id -> FakeCoordinator.Answer.error(409, "lease_lost", "lease " + id + " re-leased");
        fake.onCommitIntent = ci -> FakeCoordinator.Answer.error(503, "unavailable", "no quorum");

        assertThatThrownBy(() -> await(client.renew("L9", new RenewRequest(0))))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("lease L9 re-leased")
                .satisfies(e -> assertThat(((LeaseLostException) e).status()).isEqualTo(409));
        assertThatThrownBy(() -> await(client.commitIntent("L9", new CommitIntent(1, "v1", "sha256:x"))))
                .isInstanceOfSatisfying(CoordinatorException.class, e -> {
                    assertThat(e).isNotInstanceOf(LeaseLostException.class);
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("unavailable");
                    assertThat(e.isTemporary()).isTrue();
                    assertThat(e.getMessage()).contains("HTTP 503", "no quorum");
                });
    }

    @Test
    void unreachableCoordinatorIsATemporaryErrorThatNeverShowsTheToken() {
        LeaseClient nowhere = new LeaseClient(vertx, "http://127.0.0.1:" + FreePort.find(), TOKEN);
        try {
            assertThatThrownBy(() -> await(nowhere.renew("L1", new RenewRequest(0))))
                    .isInstanceOfSatisfying(CoordinatorException.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.isTemporary()).isTrue();
                        assertThat(e.getMessage()).doesNotContain(TOKEN);
                    });
            assertThat(nowhere.toString()).doesNotContain(TOKEN);
        } finally {
            nowhere.close();
        }
    }

    @Test
    void coordinatorUrlMustBeHttpOrHttpsWithAHost() {
        assertThat(LeaseClient.parseBaseUrl("http://coord:8080/")).isEqualTo("http://coord:8080");
        assertThat(LeaseClient.parseBaseUrl("HTTPS://coord.example.com")).isEqualTo("https://coord.example.com");
        for (String bad : new String[] {
            "coord:8080",
            "ftp://coord",
            "http://",
            "http://u:p@coord:8080",
            "http://coord:8080/?x=1",
            "",
            "http://co ord"
        }) {
            assertThatThrownBy(() -> LeaseClient.parseBaseUrl(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("coordinator URL");
        }
    }
}
