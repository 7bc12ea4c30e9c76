package dev.ferry.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.CoordinatorNode;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.TestImages;
import dev.ferry.worker.lease.CoordinatorException;
import dev.ferry.worker.lease.LeaseLostException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process lease protocol of {@code ferry standalone} against a real coordinator member
 * (the standalone's own Hazelcast configuration) with no control API at all: leases, renewals,
 * commit intents and completions go straight to the service, and are fenced and checked as
 * over HTTP.
 */
class InProcessLeasesIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private Vertx vertx;
    private HazelcastInstance hazelcast;
    private CoordinatorNode node;
    private InProcessLeases leases;
    private SeededImage image;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        image = TestImages.forRegistry(source.registry()).pushOciImage("ip/app", "v1", 71, 1200);
        Schedule schedule = ScheduleLoader.parse("s.yaml", """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: p
            source: { registry: source, repositories: ["ip/*"] }
            targets: [ { registry: mirror, prefix: "m/" } ]
            trigger: { manual: true }
        """.formatted(source.url(), mirror.url()), dir);
        vertx = Vertx.vertx();
        hazelcast = Hazelcast.newHazelcastInstance(HazelcastConfigs.standalone("ferry-test-" + UUID.randomUUID()));
        node = await(CoordinatorNode.startWithoutApi(
                vertx, hazelcast, schedule, dir.resolve("data"), Clock.systemUTC(), FerryMetrics.none()));
        leases = new InProcessLeases(vertx, node.leases());
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            await(node.stop());
        }
        hazelcast.getLifecycleService().terminate();
        await(vertx.close());
    }

    @Test
    void aLeaseIsFencedWithoutAnApiAndStaleTokensAreRefused() throws Exception {
        assertThat(node.apiPort()).as("no control API is served").isEqualTo(-1);
        await(node.runs().sync("p", false));

        LeaseProtocol.Lease lease = leaseOne();
        assertThat(lease.job().target().repository()).isEqualTo("m/ip/app");
        assertThat(lease.fencingToken()).isPositive();
        assertThat(await(leases.renew(lease.leaseId(), new LeaseProtocol.RenewRequest(10, 10)))
                        .ttlMillis())
                .isPositive();

        // A stale fencing token may neither write the tag nor complete the job.
        assertThatThrownBy(() -> await(leases.commitIntent(
                        lease.leaseId(),
                        new LeaseProtocol.CommitIntent(lease.fencingToken() - 1, "v1", image.digest()))))
                .isInstanceOfSatisfying(
                        LeaseLostException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("commit-intent of lease " + lease.leaseId());
        assertThatThrownBy(() -> await(leases.complete(
                        lease.leaseId(),
                        new LeaseProtocol.Completion(lease.fencingToken() - 1, "succeeded", null, false))))
                .isInstanceOf(LeaseLostException.class);

        // The current token may.
        LeaseProtocol.CommitDecision decision = await(leases.commitIntent(
                lease.leaseId(), new LeaseProtocol.CommitIntent(lease.fencingToken(), "v1", image.digest())));
        assertThat(decision.allowed()).isTrue();
        await(leases.complete(
                lease.leaseId(), new LeaseProtocol.Completion(lease.fencingToken(), "succeeded", null, false)));

        // Completed: the lease is gone for every call.
        assertThatThrownBy(() -> await(leases.renew(lease.leaseId(), new LeaseProtocol.RenewRequest(0))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> await(leases.complete(
                        lease.leaseId(), new LeaseProtocol.Completion(lease.fencingToken(), "succeeded", null, false))))
                .isInstanceOf(LeaseLostException.class);
    }

    @Test
    void requestsAreCheckedAsOverHttpAndRefusedWithTheApisMessage() throws Exception {
        await(node.runs().sync("p", false));
        LeaseProtocol.Lease lease = leaseOne();

        assertThatThrownBy(() -> await(leases.commitIntent(
                        lease.leaseId(),
                        new LeaseProtocol.CommitIntent(lease.fencingToken(), "not a tag", image.digest()))))
                .isInstanceOfSatisfying(CoordinatorException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("bad_request");
                    assertThat(e.isTemporary()).isFalse();
                })
                .hasMessage("commit-intent of lease " + lease.leaseId()
                        + ": field \"tag\" must be an OCI tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
        assertThatThrownBy(() -> await(leases.complete(
                        lease.leaseId(), new LeaseProtocol.Completion(lease.fencingToken(), "done", null, false))))
                .isInstanceOfSatisfying(
                        CoordinatorException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(
                        "field \"outcome\" must be one of succeeded, failed, conflict, rejected, held; got \"done\"");
        assertThatThrownBy(() -> await(leases.lease("w", new LeaseProtocol.LeaseRequest("local", 0, 0))))
                .isInstanceOfSatisfying(
                        CoordinatorException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("field \"capacity\" must be between 1 and 256; got 0");
        // Nothing was changed by the refused calls: the lease still completes.
        await(leases.complete(
                lease.leaseId(), new LeaseProtocol.Completion(lease.fencingToken(), "failed", "test", false)));
    }

    @Test
    void answersArriveOnTheCallersContextAndAnEmptyPollIsEmpty() throws Exception {
        Context caller = vertx.getOrCreateContext();
        Promise<Boolean> onCaller = Promise.promise();
        caller.runOnContext(v -> leases.lease("w", new LeaseProtocol.LeaseRequest("local", 1, 0))
                .onComplete(ar -> onCaller.complete(
                        ar.succeeded() && ar.result().isEmpty() && Vertx.currentContext() == caller)));
        assertThat(await(onCaller.future())).isTrue();
    }

    private LeaseProtocol.Lease leaseOne() throws Exception {
        Optional<LeaseProtocol.LeaseResponse> got =
                await(leases.lease("w-1", new LeaseProtocol.LeaseRequest("local", 1, 10)));
        assertThat(got).isPresent();
        List<LeaseProtocol.Lease> all = got.get().leases();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }
}
