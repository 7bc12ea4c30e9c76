package dev.ferry.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.Outcome;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.plan.Plan;
import dev.ferry.coordinator.plan.PlannedJob;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs on a real member: triggers during a run coalesce into one more run; paused policies plan nothing. */
@ExtendWith(VertxExtension.class)
class RunManagerIT {

    private HazelcastInstance hazelcast;
    private RunManager runs;
    private RunStore store;
    private JobStore jobs;
    private final List<Promise<Plan>> plans = new CopyOnWriteArrayList<>();
    private RunManager.PlanSource planner;
    private Schedule schedule;

    @BeforeEach
    void setUp(Vertx vertx) {
        hazelcast = Hazelcast.newHazelcastInstance(
                HazelcastConfigs.member(ClusterSettings.standalone("ferry-test-" + UUID.randomUUID())));
        schedule = ScheduleLoader.parse("s.yaml", """
        version: 1
        registries:
          - { name: a, url: "https://a.example.com" }
          - { name: b, url: "https://b.example.com" }
        policies:
          - name: p
            source: { registry: a, repositories: ["x"] }
            targets: [ { registry: b } ]
            trigger: { manual: true }
        """, Path.of("."));
        jobs = new JobStore(hazelcast, vertx, Clock.systemUTC(), Backoff.defaults(), Duration.ofMinutes(5));
        store = new RunStore(hazelcast, vertx);
        planner = (policy, runId) -> {
            Promise<Plan> p = Promise.promise();
            plans.add(p);
            return p.future();
        };
        runs = new RunManager(
                vertx,
                store,
                jobs,
                planner,
                name -> schedule.policy(name).orElse(null),
                Clock.systemUTC(),
                50,
                AuditTrail.logging(),
                FerryMetrics.none());
    }

    @AfterEach
    void tearDown() {
        hazelcast.getLifecycleService().terminate();
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void triggersDuringARunCoalesceIntoOneMoreRun() throws Exception {
        RunRecord first = await(runs.trigger("p"));
        RunRecord second = await(runs.trigger("p"));
        RunRecord third = await(runs.trigger("p"));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(third.id()).isEqualTo(first.id());
        assertThat(plans).hasSize(1);

        plans.get(0).complete(new Plan("p", first.id(), List.of(), 0, List.of()));
        assertThat(await(runs.awaitEnd(first.id())).state()).isEqualTo("succeeded");

        // The two coalesced triggers make exactly one more run.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> plans.size() == 2);
        plans.get(1).complete(new Plan("p", "any", List.of(), 0, List.of()));
        Thread.sleep(500);
        assertThat(plans).hasSize(2);
    }

    @Test
    void aPausedPolicyPlansNothingAndAnUnknownOneIs404() throws Exception {
        await(store.setPaused("p", true));

        assertThatThrownBy(() -> await(runs.trigger("p")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("paused");
        assertThat(plans).isEmpty();
        assertThatThrownBy(() -> await(runs.trigger("nope")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404));

        await(store.setPaused("p", false));
        assertThat(await(runs.trigger("p")).state()).isEqualTo("planning");
        assertThat(plans).hasSize(1);
    }

    /** A schedule with one policy p, from a to b, with this trigger. */
    private static Schedule oneTriggeredPolicy(String trigger) {
        return ScheduleLoader.parse("s.yaml", """
        version: 1
        registries:
          - { name: a, url: "https://a.example.com" }
          - { name: b, url: "https://b.example.com" }
        policies:
          - name: p
            source: { registry: a, repositories: ["x"] }
            targets: [ { registry: b } ]
            trigger: %s
        """.formatted(trigger), Path.of("."));
    }

    @Test
    void anIntervalTriggerStartsRunsOnTheOldestMember(Vertx vertx) throws Exception {
        Schedule every10s = oneTriggeredPolicy("{ interval: 10s }");
        PolicyTriggers triggers = new PolicyTriggers(vertx, hazelcast.getCluster(), runs, Clock.systemUTC());
        triggers.arm(every10s);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> plans.size() == 1);
            assertThat(await(store.policyState("p")).activeRun()).isNotNull();
        } finally {
            triggers.disarm();
        }
    }

    @Test
    void aVerifyTriggerRunsTheDriftCheckWithoutStartingARun(Vertx vertx) throws Exception {
        Schedule verifyOnly = oneTriggeredPolicy("{ manual: true, verify: 10s }");
        List<String> checked = new CopyOnWriteArrayList<>();
        PolicyTriggers triggers = new PolicyTriggers(vertx, hazelcast.getCluster(), runs, Clock.systemUTC(), p -> {
            checked.add(p.name());
            return Future.succeededFuture();
        });
        triggers.arm(verifyOnly);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> checked.size() == 1);
            assertThat(checked).containsExactly("p");
            assertThat(plans).as("a drift check is not a run").isEmpty();
        } finally {
            triggers.disarm();
        }
    }

    @Test
    void aPlanWithErrorsEndsTheRunFailed() throws Exception {
        RunRecord run = await(runs.trigger("p"));
        plans.get(0).complete(new Plan("p", run.id(), List.of(), 0, List.of("source a: HTTP 500")));

        RunRecord ended = await(runs.awaitEnd(run.id()));

        assertThat(ended.state()).isEqualTo("failed");
        assertThat(ended.errors()).containsExactly("source a: HTTP 500");
    }

    @Test
    void aCancelledRunEndsCancelledWithItsLeasedJobsLeaseVoidAndAnEndedRunRefusesACancel() throws Exception {
        RunRecord run = await(runs.trigger("p"));
        var spec = new JobSpec("p", run.id(), "normal", null, null, List.of(), false);
        List<PlannedJob> planned = List.of(
                new PlannedJob("j-1", "normal", "b", "x", "v1", "sha256:" + "1".repeat(64), spec),
                new PlannedJob("j-2", "normal", "b", "x", "v2", "sha256:" + "2".repeat(64), spec));
        plans.get(0).complete(new Plan("p", run.id(), planned, 0, List.of()));
        var key = JobKey.of("j-1", "normal", "b", "x");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> await(jobs.get(key)).isPresent());
        var leased = await(jobs.lease(key, "lease-1", "w-1", 60_000)).orElseThrow();

        RunRecord answered = await(runs.cancel(run.id(), "ops@test"));
        RunRecord ended = await(runs.awaitEnd(run.id()));

        assertThat(answered.id()).isEqualTo(run.id());
        assertThat(ended.state()).isEqualTo("cancelled");
        assertThat(await(runs.counts(run.id()))).containsEntry("cancelled", 2);
        // The worker holding j-1 is told at its next renew that the lease is gone.
        assertThat(await(jobs.renew(key, "lease-1", leased.fencingToken(), 10, 60_000)))
                .isEmpty();
        assertThat(await(jobs.get(key)).orElseThrow().lastError()).isEqualTo("cancelled by ops@test");
        assertThatThrownBy(() -> await(runs.cancel(run.id(), "ops@test")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("already ended (cancelled)");
    }

    @Test
    void aRunEndsWhenItsLastJobFinishesHereNotAtTheNextLook(Vertx vertx) throws Exception {
        // Looks a minute apart: only the nudge from the job's completion can end the run sooner.
        RunManager slow = new RunManager(
                vertx,
                store,
                jobs,
                planner,
                name -> schedule.policy(name).orElse(null),
                Clock.systemUTC(),
                60_000,
                AuditTrail.logging(),
                FerryMetrics.none());
        RunRecord run = await(slow.trigger("p"));
        var spec = new JobSpec("p", run.id(), "normal", null, null, List.of(), false);
        plans.get(0)
                .complete(new Plan(
                        "p",
                        run.id(),
                        List.of(new PlannedJob("j-9", "normal", "b", "x", "v9", "sha256:" + "9".repeat(64), spec)),
                        0,
                        List.of()));
        var key = JobKey.of("j-9", "normal", "b", "x");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() ->
                        await(store.get(run.id())).map(r -> r.planned() == 1).orElse(false));
        var leased = await(jobs.lease(key, "lease-9", "w-1", 60_000)).orElseThrow();
        Future<RunRecord> ended = slow.awaitEnd(run.id());
        Thread.sleep(300);
        assertThat(ended.isComplete()).as("the run has an open job").isFalse();

        long started = System.nanoTime();
        await(jobs.complete(key, "lease-9", leased.fencingToken(), Outcome.SUCCEEDED, null, false));
        slow.jobFinished(run.id());
        RunRecord record = await(ended);

        assertThat(record.state()).isEqualTo("succeeded");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    /**
     * A job still leased by an earlier run (ended early, e.g. its planning member left) when a
     * new run plans the same tag: the new run waits for that lease, and plans the job again
     * when the lease wrote another digest than the one the new run wants.
     */
    @Test
    void aRunWaitsForItsJobsStillLeasedByAnEarlierRunAndReplansAStaleOne() throws Exception {
        String older = "sha256:" + "1".repeat(64);
        String newer = "sha256:" + "2".repeat(64);
        var key = JobKey.of("j-7", "normal", "b", "x");
        Job stale = leasedByAnEarlierRun(key, "v7", older);
        RunRecord run = runPlanning(key, "v7", newer);
        Future<RunRecord> ended = runs.awaitEnd(run.id());
        Thread.sleep(500);
        assertThat(ended.isComplete())
                .as("the earlier run's lease is still open")
                .isFalse();
        assertThat(await(jobs.get(key)).orElseThrow().runId()).isEqualTo("run-before");

        // The old lease ends having written the older digest: the job is this run's now, queued again.
        await(jobs.complete(key, "lease-old", stale.fencingToken(), Outcome.SUCCEEDED, null, false));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> await(jobs.get(key))
                        .map(j -> j.runId().equals(run.id()))
                        .orElse(false));
        var replanned = await(jobs.get(key)).orElseThrow();
        assertThat(replanned.state()).isEqualTo(JobState.QUEUED);
        assertThat(replanned.sourceDigest()).isEqualTo(newer);
        Thread.sleep(300);
        assertThat(ended.isComplete()).as("the re-planned job is open").isFalse();

        var lease = await(jobs.lease(key, "lease-new", "w-1", 60_000)).orElseThrow();
        await(jobs.complete(key, "lease-new", lease.fencingToken(), Outcome.SUCCEEDED, null, false));
        assertThat(await(ended).state()).isEqualTo("succeeded");
    }

    @Test
    void aJobLeasedByAnEarlierRunThatWritesTheSameDigestEndsTheNewRunWithoutACopy() throws Exception {
        String digest = "sha256:" + "3".repeat(64);
        var key = JobKey.of("j-8", "normal", "b", "x");
        Job stale = leasedByAnEarlierRun(key, "v8", digest);
        RunRecord run = runPlanning(key, "v8", digest);
        Future<RunRecord> ended = runs.awaitEnd(run.id());
        Thread.sleep(500);
        assertThat(ended.isComplete()).isFalse();

        await(jobs.complete(key, "lease-old", stale.fencingToken(), Outcome.SUCCEEDED, null, false));

        assertThat(await(ended).state()).isEqualTo("succeeded");
        var job = await(jobs.get(key)).orElseThrow();
        assertThat(job.runId()).as("not copied again").isEqualTo("run-before");
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    }

    /** The job of {@code key}, queued by a run "run-before" and leased as "lease-old". */
    private Job leasedByAnEarlierRun(JobKey key, String tag, String digest) throws Exception {
        var spec = new JobSpec("p", "run-before", "normal", null, null, List.of(), false);
        await(jobs.upsert(Job.planned(key, "p", "run-before", "normal", tag, digest, spec, 1)));
        return await(jobs.lease(key, "lease-old", "w-1", 60_000)).orElseThrow();
    }

    /** A new run of p whose plan is the one job of {@code key}. */
    private RunRecord runPlanning(JobKey key, String tag, String digest) throws Exception {
        RunRecord run = await(runs.trigger("p"));
        var spec = new JobSpec("p", run.id(), "normal", null, null, List.of(), false);
        PlannedJob job = new PlannedJob(key.id(), "normal", "b", "x", tag, digest, spec);
        plans.get(0).complete(new Plan("p", run.id(), List.of(job), 0, List.of()));
        return run;
    }
}
