package dev.ferry.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.Outcome;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.plan.Plan;
import dev.ferry.coordinator.plan.PlannedJob;
import dev.ferry.coordinator.testing.HazelcastMembers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run whose member dies (kill -9) while planning or watching it, on two real members: the
 * other member adopts it. Found by the chaos soak: without adoption such a run stayed active for
 * ever and every later trigger of its policy coalesced into it, so the policy never ran again.
 */
@ExtendWith(VertxExtension.class)
class OrphanRunIT {

    @RegisterExtension
    final HazelcastMembers members = new HazelcastMembers();

    private final Schedule schedule = ScheduleLoader.parse("s.yaml", """
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

    private HazelcastInstance dying;
    private HazelcastInstance staying;
    private final List<Promise<Plan>> plansOnDying = new CopyOnWriteArrayList<>();
    private final List<Promise<Plan>> plansOnStaying = new CopyOnWriteArrayList<>();

    @BeforeEach
    void joinTwo() {
        List<String> addresses = HazelcastMembers.addresses(2);
        List<HazelcastInstance> two = members.joined(HazelcastMembers.newCluster(), addresses, addresses);
        dying = two.get(0);
        staying = two.get(1);
    }

    private RunManager manager(Vertx vertx, HazelcastInstance on, JobStore jobs, List<Promise<Plan>> plans) {
        return new RunManager(
                vertx,
                new RunStore(on, vertx),
                jobs,
                (policy, runId) -> {
                    Promise<Plan> p = Promise.promise();
                    plans.add(p);
                    return p.future();
                },
                name -> schedule.policy(name).orElse(null),
                Clock.systemUTC(),
                100,
                AuditTrail.logging(),
                FerryMetrics.none());
    }

    private static JobStore jobs(Vertx vertx, HazelcastInstance on) {
        return new JobStore(on, vertx, Clock.systemUTC(), Backoff.defaults(), Duration.ofMinutes(5));
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private void kill(HazelcastInstance member) {
        member.getLifecycleService().terminate();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> staying.getCluster().getMembers().size() == 1);
    }

    @Test
    void aRunWhosePlanningMemberDiedEndsFailedAndItsPolicyRunsAgain(Vertx vertx) throws Exception {
        RunManager onDying = manager(vertx, dying, jobs(vertx, dying), plansOnDying);
        RunManager onStaying = manager(vertx, staying, jobs(vertx, staying), plansOnStaying);
        RunStore store = new RunStore(staying, vertx);
        RunRecord run = await(onDying.trigger("p"));
        assertThat(plansOnDying).hasSize(1); // planning, never finished

        // While its member lives, the run is its member's: nobody adopts it.
        assertThat(await(onStaying.adoptOrphans())).isZero();
        kill(dying);

        assertThat(await(onStaying.adoptOrphans())).isEqualTo(1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> await(store.get(run.id())).map(RunRecord::ended).orElse(false));
        RunRecord failed = await(store.get(run.id())).orElseThrow();
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.errors()).singleElement().asString().contains("planning interrupted");

        // The policy is free and plans again on the member that adopted the run.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> plansOnStaying.size() == 1);
        String rerun = await(store.policyState("p")).activeRun();
        assertThat(rerun).isNotNull().isNotEqualTo(run.id());
        plansOnStaying.get(0).complete(new Plan("p", rerun, List.of(), 0, List.of()));
        assertThat(await(onStaying.awaitEnd(rerun)).state()).isEqualTo("succeeded");
        // Adopted once: a second look finds nothing left to adopt.
        assertThat(await(onStaying.adoptOrphans())).isZero();
    }

    @Test
    void aPlannedRunWhoseWatchingMemberDiedIsWatchedByAnotherAndEndsWithItsJobs(Vertx vertx) throws Exception {
        RunManager onDying = manager(vertx, dying, jobs(vertx, dying), plansOnDying);
        JobStore jobsOnStaying = jobs(vertx, staying);
        RunManager onStaying = manager(vertx, staying, jobsOnStaying, plansOnStaying);
        RunStore store = new RunStore(staying, vertx);
        RunRecord run = await(onDying.trigger("p"));
        var spec = new JobSpec("p", run.id(), "normal", null, null, List.of(), false);
        plansOnDying
                .get(0)
                .complete(new Plan(
                        "p",
                        run.id(),
                        List.of(new PlannedJob("j-1", "normal", "b", "x", "v1", "sha256:" + "1".repeat(64), spec)),
                        0,
                        List.of()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> await(store.get(run.id()))
                        .map(r -> r.state().equals("running"))
                        .orElse(false));
        kill(dying);

        assertThat(await(onStaying.adoptOrphans())).isEqualTo(1);
        Future<RunRecord> ended = onStaying.awaitEnd(run.id());
        Thread.sleep(300);
        assertThat(ended.isComplete()).as("its job is still open").isFalse();

        var key = JobKey.of("j-1", "normal", "b", "x");
        var leased = await(jobsOnStaying.lease(key, "lease-1", "w-1", 60_000)).orElseThrow();
        await(jobsOnStaying.complete(key, "lease-1", leased.fencingToken(), Outcome.SUCCEEDED, null, false));

        assertThat(await(ended).state()).isEqualTo("succeeded");
        // The policy is freed right after the run's end is told.
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> await(store.policyState("p")).activeRun() == null);
        assertThat(plansOnStaying).as("no rerun was asked for").isEmpty();
    }
}
