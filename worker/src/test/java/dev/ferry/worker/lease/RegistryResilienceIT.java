package dev.ferry.worker.lease;

import static dev.ferry.worker.lease.Jobs.await;
import static dev.ferry.worker.lease.Jobs.job;
import static dev.ferry.worker.lease.Jobs.lease;
import static dev.ferry.worker.lease.Jobs.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RenewResponse;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.ProxiedRequest;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import dev.ferry.worker.resilience.BreakerState;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A worker copying between real registries through a fault-injecting proxy, its coordinator faked. */
@ExtendWith(VertxExtension.class)
class RegistryResilienceIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    private FakeCoordinatorWorker setup;
    private FakeCoordinator fake;
    private LeaseClient client;
    private WorkerLoop worker;
    private FaultProxy proxy;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        setup = FakeCoordinatorWorker.start(
                vertx, WorkerOptions.of("it-worker", "eu-west", 1).withWaitSeconds(1));
        fake = setup.fake;
        client = setup.client;
        worker = setup.worker;
        fake.onRenew = id -> FakeCoordinator.Answer.ok(new RenewResponse(600, 0));
        proxy = FaultProxy.start(source.host());
    }

    @AfterEach
    void tearDown() throws Exception {
        setup.close();
        proxy.close();
    }

    private static Endpoint withLimits(Endpoint e, Limits limits) {
        return new Endpoint(e.registry(), e.url(), e.repository(), e.reference(), e.credentials(), limits);
    }

    @Test
    void aStormOf429sIsWaitedOutAsRetryAfterSaysAndTheCopyCompletes() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("team/app", "v1", 41, 3000, 150_000);
        proxy.on("*", "/v2/.+/(manifests|blobs)/.+").times(3).respond(429, 2);
        Limits limits = new Limits(null, null, new RetryLimits(5, 100, 1_000), new BreakerLimits(50, 5, 30_000), null);
        fake.enqueue(lease(
                "L1",
                3,
                600,
                job(
                        withLimits(registry("hub", proxy.url(), "team/app", "v1", null), limits),
                        registry("mirror", target.url(), "mirror/team/app", "v1", null))));

        await(worker.start());
        await().atMost(Duration.ofSeconds(90)).until(() -> fake.completions.containsKey("L1"));

        assertThat(fake.completions.get("L1"))
                .usingRecursiveComparison()
                .ignoringFields("bytesCopied")
                .isEqualTo(new Completion(3, "succeeded", null, false));
        assertThat(new Skopeo().manifestDigest("docker://" + target.host() + "/mirror/team/app:v1"))
                .isEqualTo(image.digest());
        List<ProxiedRequest> seen = proxy.requests();
        List<ProxiedRequest> throttled =
                seen.stream().filter(r -> r.status() == 429).toList();
        assertThat(throttled).hasSize(3);
        for (ProxiedRequest refused : throttled) {
            ProxiedRequest retry = seen.stream()
                    .filter(r -> r.arrived().isAfter(refused.arrived())
                            && r.method().equals(refused.method())
                            && r.path().equals(refused.path()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no retry of " + refused));
            assertThat(Duration.between(refused.answered(), retry.arrived()))
                    .as(
                            "retry of %s came %s after its 429",
                            refused, Duration.between(refused.answered(), retry.arrived()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
        // The pause is the registry's, not one request's: nothing at all went out during it.
        ProxiedRequest last429 = throttled.get(throttled.size() - 1);
        assertThat(seen)
                .filteredOn(r -> r.arrived().isAfter(last429.answered())
                        && r.arrived().isBefore(last429.answered().plusSeconds(2)))
                .isEmpty();
        assertThat(worker.registryGuards().state("hub")).contains(BreakerState.CLOSED);
    }

    @Test
    void aRegistryThatIsDownHoldsTheJobWithoutFailingItAndTheJobSucceedsOnceItIsBack() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("team/svc", "v2", 42, 2000);
        Limits limits = new Limits(null, null, new RetryLimits(3, 50, 200), new BreakerLimits(50, 3, 2_000), null);
        proxy.down();
        fake.enqueue(lease(
                "H1",
                5,
                600,
                job(
                        withLimits(registry("hub", proxy.url(), "team/svc", "v2", null), limits),
                        registry("mirror", target.url(), "mirror/team/svc", "v2", null))));

        await(worker.start());
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.completions.containsKey("H1"));

        Completion held = fake.completions.get("H1");
        assertThat(held.outcome()).isEqualTo("held");
        assertThat(held.temporary()).isTrue();
        assertThat(held.holdMillis()).isBetween(1L, 2_000L);
        assertThat(held.error()).contains("registry hub is unavailable");
        assertThat(worker.registryGuards().state("hub")).contains(BreakerState.OPEN);
        assertThat(proxy.refusedConnections()).isGreaterThanOrEqualTo(3);
        assertThat(worker.failed()).isZero();
        assertThat(worker.held()).isEqualTo(1);

        // The coordinator leases it again after the hold; the registry is back by then.
        proxy.up();
        Thread.sleep(held.holdMillis());
        fake.enqueue(lease(
                "H2",
                6,
                600,
                job(
                        withLimits(registry("hub", proxy.url(), "team/svc", "v2", null), limits),
                        registry("mirror", target.url(), "mirror/team/svc", "v2", null))));
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.completions.containsKey("H2"));

        assertThat(fake.completions.get("H2"))
                .usingRecursiveComparison()
                .ignoringFields("bytesCopied")
                .isEqualTo(new Completion(6, "succeeded", null, false));
        assertThat(new Skopeo().manifestDigest("docker://" + target.host() + "/mirror/team/svc:v2"))
                .isEqualTo(image.digest());
        assertThat(worker.registryGuards().state("hub")).contains(BreakerState.CLOSED);
    }
}
