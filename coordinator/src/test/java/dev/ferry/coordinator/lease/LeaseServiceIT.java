package dev.ferry.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.common.lease.Outcome;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.testing.FreePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leases on real Hazelcast members, each test in a cluster of its own. */
@ExtendWith(VertxExtension.class)
class LeaseServiceIT {

    private final MutableClock clock = new MutableClock();
    private final List<Member> members = new ArrayList<>();
    private final String cluster = "ferry-test-" + UUID.randomUUID();
    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    @AfterEach
    void tearDown() {
        members.forEach(Member::close);
    }

    private Member start(List<String> others, int port) {
        Member m = new Member(vertx, clock, cluster, port, others);
        members.add(m);
        return m;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Job job(String tier, String repo, String tag, long now) {
        String id = tier + "-" + repo + "-" + tag;
        LeaseProtocol.Endpoint src =
                new LeaseProtocol.Endpoint("hub", "https://hub", repo, "sha256:" + "a".repeat(64), null);
        LeaseProtocol.Endpoint dst = new LeaseProtocol.Endpoint("mirror", "https://mirror", repo, tag, null);
        LeaseProtocol.JobSpec spec = new LeaseProtocol.JobSpec("p", "run-1", tier, src, dst, List.of(), false);
        return Job.planned(
                JobKey.of(id, tier, "mirror", repo), "p", "run-1", tier, tag, "sha256:" + "a".repeat(64), spec, now);
    }

    private void enqueue(Member m, Job j) throws Exception {
        await(m.store.upsert(j));
    }

    @Test
    void tiersShareLeasesEightFourTwoOneAndBulkStillProgresses() throws Exception {
        Member m = start(List.of(), 0);
        for (String tier : List.of("critical", "high", "normal", "bulk")) {
            for (int i = 0; i < 40; i++) {
                enqueue(m, job(tier, tier + "/repo" + i, "v1", clock.millis()));
            }
        }
        Map<String, Integer> got = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            List<Job> leased = await(m.leases.lease("w1", 1, 0));
            assertThat(leased).hasSize(1);
            Job j = leased.get(0);
            got.merge(j.tier(), 1, Integer::sum);
            await(m.store.complete(j.key(), j.leaseId(), j.fencingToken(), Outcome.SUCCEEDED, null, false));
        }
        assertThat(got)
                .containsEntry("critical", 16)
                .containsEntry("high", 8)
                .containsEntry("normal", 4)
                .containsEntry("bulk", 2);
    }

    @Test
    void tagsOfOneRepositoryAreLeasedTogetherAndEachIsFencedOnItsOwn() throws Exception {
        Member m = start(List.of(), 0);
        enqueue(m, job("normal", "team/app", "v1", clock.millis()));
        enqueue(m, job("normal", "team/app", "v2", clock.millis()));
        enqueue(m, job("normal", "team/other", "v1", clock.millis()));

        List<Job> first = await(m.leases.lease("w1", 3, 0));

        assertThat(first)
                .extracting(j -> j.key().id())
                .containsExactlyInAnyOrder("normal-team/app-v1", "normal-team/app-v2", "normal-team/other-v1");
        for (Job j : first) {
            assertThat(await(m.store.commitIntent(j.key(), j.leaseId(), j.fencingToken(), j.tag(), "sha256:x")))
                    .hasValueSatisfying(d -> assertThat(d.allowed()).isTrue());
            assertThat(await(m.store.commitIntent(j.key(), j.leaseId(), j.fencingToken() - 1, j.tag(), "sha256:x")))
                    .as("a stale token of the same job is still refused")
                    .isEmpty();
            assertThat(await(m.store.complete(j.key(), j.leaseId(), j.fencingToken(), Outcome.SUCCEEDED, null, false)))
                    .hasValueSatisfying(done -> assertThat(done.state()).isEqualTo(JobState.SUCCEEDED));
        }
    }

    @Test
    void aReplicationAndARepairOfOneTagAreNotLeasedTogether() throws Exception {
        Member m = start(List.of(), 0);
        enqueue(m, job("normal", "team/app", "v1", clock.millis()));
        enqueue(m, job("critical", "team/app", "v1", clock.millis()));

        List<Job> first = await(m.leases.lease("w1", 2, 0));
        assertThat(first).singleElement().satisfies(j -> assertThat(j.tier()).isEqualTo("critical"));
        assertThat(await(m.leases.lease("w2", 2, 0))).as("the tag has a writer").isEmpty();

        Job repair = first.get(0);
        await(m.store.complete(repair.key(), repair.leaseId(), repair.fencingToken(), Outcome.SUCCEEDED, null, false));
        assertThat(await(m.leases.lease("w2", 2, 0)))
                .singleElement()
                .satisfies(j -> assertThat(j.tier()).isEqualTo("normal"));
    }

    @Test
    void anExpiredLeaseIsRequeuedAndItsStaleTokenCannotCommit() throws Exception {
        Member m = start(List.of(), 0);
        enqueue(m, job("high", "team/app", "v1", clock.millis()));
        Job first = await(m.leases.lease("w1", 1, 0)).get(0);

        clock.advance(Duration.ofSeconds(16));
        assertThat(await(m.store.expire(first.key()))).isPresent();
        Job second = await(m.leases.lease("w2", 1, 0)).get(0);

        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(await(m.store.commitIntent(first.key(), first.leaseId(), first.fencingToken(), "v1", "sha256:x")))
                .isEmpty();
        assertThat(await(m.store.complete(
                        first.key(), first.leaseId(), first.fencingToken(), Outcome.SUCCEEDED, null, false)))
                .isEmpty();
        assertThat(await(m.store.commitIntent(second.key(), second.leaseId(), second.fencingToken(), "v1", "sha256:x")))
                .isPresent();
    }

    @Test
    void aLongPollWakesWhenAJobArrives() throws Exception {
        Member m = start(List.of(), 0);
        Future<List<Job>> waiting = m.leases.lease("w1", 1, 10_000);
        Thread.sleep(300);
        assertThat(waiting.isComplete()).isFalse();

        enqueue(m, job("normal", "late/app", "v1", clock.millis()));

        assertThat(await(waiting))
                .singleElement()
                .satisfies(j -> assertThat(j.tag()).isEqualTo("v1"));
    }

    @Test
    void temporaryFailuresBackOffThenFailForGood() throws Exception {
        Member m = start(List.of(), 0);
        enqueue(m, job("normal", "flaky/app", "v1", clock.millis()));
        Job j = await(m.leases.lease("w1", 1, 0)).get(0);

        Optional<Job> after =
                await(m.store.complete(j.key(), j.leaseId(), j.fencingToken(), Outcome.FAILED, "503", true));

        assertThat(after).get().satisfies(x -> {
            assertThat(x.state()).isEqualTo(JobState.QUEUED);
            assertThat(x.notBefore()).isGreaterThan(clock.millis());
            assertThat(x.lastError()).isEqualTo("503");
        });
        assertThat(await(m.leases.lease("w1", 1, 0))).isEmpty();
        for (int attempt = 2; attempt <= 3; attempt++) {
            clock.advance(Duration.ofSeconds(11));
            Job again = await(m.leases.lease("w1", 1, 0)).get(0);
            after = await(
                    m.store.complete(again.key(), again.leaseId(), again.fencingToken(), Outcome.FAILED, "503", true));
        }
        assertThat(after).get().satisfies(x -> assertThat(x.state()).isEqualTo(JobState.FAILED));
    }

    /**
     * Many workers lease, complete, abandon and retry at random while time jumps past lease
     * expiries. A token is never granted twice for a job (two valid leases), a stale token
     * never commits, and in the end every job succeeded exactly once.
     */
    @Test
    void randomizedWorkersNeverHoldOneJobWithTwoValidLeases() throws Exception {
        Member m = start(List.of(), 0);
        int jobs = 150;
        for (int i = 0; i < jobs; i++) {
            enqueue(
                    m,
                    job(
                            List.of("critical", "high", "normal", "bulk").get(i % 4),
                            "rnd/repo" + (i % 40),
                            "t" + i,
                            clock.millis()));
        }
        java.util.Random random = new java.util.Random(7);
        Map<String, java.util.Set<Long>> granted = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Integer> succeeded = new java.util.concurrent.ConcurrentHashMap<>();
        List<Job> abandoned = new ArrayList<>();
        int rounds = 0;
        while (succeeded.size() < jobs && rounds++ < 2000) {
            List<Future<List<Job>>> requests = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                requests.add(m.leases.lease("w" + w, 1 + random.nextInt(4), 0));
            }
            for (Future<List<Job>> request : requests) {
                for (Job j : await(request)) {
                    assertThat(granted.computeIfAbsent(j.id(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                                    .add(j.fencingToken()))
                            .as("token %d of %s granted twice", j.fencingToken(), j.id())
                            .isTrue();
                    if (random.nextInt(4) == 0) {
                        abandoned.add(j); // this worker dies: its lease must expire
                        continue;
                    }
                    boolean committed = await(m.store.commitIntent(
                                    j.key(), j.leaseId(), j.fencingToken(), j.tag(), "sha256:" + "b".repeat(64)))
                            .isPresent();
                    assertThat(committed).isTrue();
                    if (await(m.store.complete(j.key(), j.leaseId(), j.fencingToken(), Outcome.SUCCEEDED, null, false))
                            .isPresent()) {
                        succeeded.merge(j.id(), 1, Integer::sum);
                    }
                }
            }
            if (rounds % 5 == 0) {
                clock.advance(Duration.ofSeconds(16));
                for (JobKey k : m.index.expired(clock.millis())) {
                    await(m.store.expire(k));
                }
                for (Job stale : abandoned) {
                    assertThat(await(m.store.commitIntent(
                                    stale.key(),
                                    stale.leaseId(),
                                    stale.fencingToken(),
                                    stale.tag(),
                                    "sha256:" + "c".repeat(64))))
                            .as("stale token of %s committed", stale.id())
                            .isEmpty();
                }
                abandoned.clear();
            }
        }
        assertThat(succeeded).hasSize(jobs).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void threeMembersSpreadJobsAndLoseNoneWhenOneIsKilled() throws Exception {
        int p1 = FreePort.forListener();
        int p2 = FreePort.forListener();
        int p3 = FreePort.forListener();
        List<String> all = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2, "127.0.0.1:" + p3);
        Member a = start(all, p1);
        Member b = start(all, p2);
        Member c = start(all, p3);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> a.hazelcast.getCluster().getMembers().size() == 3
                        && a.hazelcast.getPartitionService().isClusterSafe());
        for (int i = 0; i < 90; i++) {
            enqueue(a, job("normal", "spread/repo" + i, "v1", clock.millis()));
        }
        // Partition migrations may still be settling on a slow machine; each member's ready index must follow
        // the partitions it ends up owning.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                List.of(a.index.readyCount(), b.index.readyCount(), c.index.readyCount()))
                        .allMatch(n -> n > 10)
                        .satisfies(l -> assertThat(
                                        l.stream().mapToInt(Integer::intValue).sum())
                                .isEqualTo(90)));
        List<Job> leasedOnB = await(b.leases.lease("w1", 5, 0));
        assertThat(leasedOnB).hasSize(5);

        members.remove(c);
        c.close();

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> a.store.map().size() == 90 && a.index.readyCount() + b.index.readyCount() == 85);
        for (Job j : leasedOnB) {
            assertThat(await(a.store.get(j.key())))
                    .get()
                    .satisfies(x -> assertThat(x.leaseId()).isEqualTo(j.leaseId()));
        }
    }

    /**
     * Changes travel in batches, each partition's backup with only its own steps, and retries
     * draw their backoff jitter from the job: after the owner of half the partitions is
     * killed, the promoted backups must hold exactly what the primaries held.
     */
    @Test
    void batchedChangesLeaveBackupsIdenticalToPrimariesAcrossAMemberKill() throws Exception {
        int p1 = FreePort.forListener();
        int p2 = FreePort.forListener();
        List<String> both = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        Member a = start(both, p1);
        Member b = start(both, p2);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> a.hazelcast.getCluster().getMembers().size() == 2
                        && a.hazelcast.getPartitionService().isClusterSafe());
        List<Future<?>> planned = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            planned.add(a.store.upsert(
                    job(List.of("high", "normal", "bulk").get(i % 3), "backup/repo" + i, "v1", clock.millis())));
        }
        await(Future.all(planned));
        // Many leases at once from both members, so batches span many partitions.
        List<Future<List<Job>>> requests = new ArrayList<>();
        for (int w = 0; w < 20; w++) {
            requests.add((w % 2 == 0 ? a : b).leases.lease("w" + w, 8, 0));
        }
        List<Job> leased = new ArrayList<>();
        for (Future<List<Job>> r : requests) {
            leased.addAll(await(r));
        }
        assertThat(leased).hasSizeGreaterThan(100);
        List<Future<?>> outcomes = new ArrayList<>();
        for (int i = 0; i < leased.size(); i++) {
            Job j = leased.get(i);
            Member via = i % 2 == 0 ? a : b;
            outcomes.add(
                    switch (i % 3) {
                        case 0 ->
                            via.store.complete(
                                    j.key(), j.leaseId(), j.fencingToken(), Outcome.FAILED, "503 from source", true);
                        case 1 ->
                            via.store.complete(j.key(), j.leaseId(), j.fencingToken(), Outcome.SUCCEEDED, null, false);
                        default -> via.store.renew(j.key(), j.leaseId(), -1, 4096, 15_000);
                    });
        }
        await(Future.all(outcomes));
        Map<JobKey, Job> before =
                new HashMap<>(a.store.map().getAll(a.store.map().keySet()));
        assertThat(before).hasSize(300);
        assertThat(before.values()).anySatisfy(j -> assertThat(j.notBefore()).isGreaterThan(clock.millis()));

        members.remove(b);
        b.close();

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> a.hazelcast.getCluster().getMembers().size() == 1
                        && a.store.map().size() == 300);
        Map<JobKey, Job> after = a.store.map().getAll(a.store.map().keySet());
        assertThat(after).containsExactlyInAnyOrderEntriesOf(before);
    }

    @Test
    void workersAreServedTheirOwnRegionsJobsFirst() throws Exception {
        Member m = new Member(vertx, clock, cluster, 0, List.of(), Map.of("mirror-eu", "eu-west", "mirror", "us-east"));
        members.add(m);
        LeaseProtocol.JobSpec spec = new LeaseProtocol.JobSpec("p", "run-1", "normal", null, null, List.of(), false);
        for (int i = 0; i < 6; i++) {
            enqueue(
                    m,
                    Job.planned(
                            JobKey.of("eu" + i, "normal", "mirror-eu", "eu/repo" + i),
                            "p",
                            "run-1",
                            "normal",
                            "v1",
                            "sha256:" + "a".repeat(64),
                            spec,
                            clock.millis()));
            enqueue(m, job("normal", "us/repo" + i, "v1", clock.millis()));
        }
        List<Job> eu = await(m.leases.lease("w-eu", "eu-west", 6, 0));
        assertThat(eu)
                .hasSize(6)
                .allSatisfy(j -> assertThat(j.key().repositoryKey()).startsWith("mirror-eu|"));
        // Nothing of its own region left: a worker still gets the rest rather than idling.
        assertThat(await(m.leases.lease("w-eu", "eu-west", 2, 0)))
                .hasSize(2)
                .allSatisfy(j -> assertThat(j.key().repositoryKey()).startsWith("mirror|"));
    }
}
