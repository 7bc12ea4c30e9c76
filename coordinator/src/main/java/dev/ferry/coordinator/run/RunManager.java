package dev.ferry.coordinator.run;

import dev.ferry.common.log.StartupTrace;
import dev.ferry.config.model.Policy;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.hz.Quorum;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs of policies: a trigger starts a run (or is coalesced into the active one), the run
 * is planned into jobs, and it ends when none of its jobs is queued, leased or held.
 *
 * <p>The member that planned a run watches it: it looks at the run's job states every
 * {@code checkMillis}, and at once when as many of the run's jobs have finished through this
 * member as were planned ({@link #jobFinished}), so a run ends as soon as its last job does.
 * Looks are never concurrent for one run; a nudge during a look makes one more look right
 * after.
 *
 * <p>Over 300 lines because a run's whole life (trigger and coalescing, planning, watching, ending, and retrying those records while a network split refuses them) acts on one run record.
 */
public final class RunManager {

    private static final Logger LOG = LoggerFactory.getLogger(RunManager.class);

    /** Plans one policy for a run. */
    @FunctionalInterface
    public interface PlanSource {
        Future<Plan> plan(Policy policy, String runId);
    }

    private final Vertx vertx;
    private final RunStore runs;
    private final JobStore jobs;
    private final PlanSource planner;
    private final Function<String, Policy> policies;
    private final Clock clock;
    private final long checkMillis;
    private final AuditTrail audit;
    private final FerryMetrics metrics;
    /** Runs planned by this member and not ended yet. */
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    /** Callers of {@link #awaitEnd} on this member, told as soon as a run ends here. */
    private final Map<String, List<Promise<RunRecord>>> waiters = new ConcurrentHashMap<>();

    /**
     * @param policies the current schedule's policy by name, or null when unknown
     * @param audit where cancellations are recorded
     */
    public RunManager(
            Vertx vertx,
            RunStore runs,
            JobStore jobs,
            PlanSource planner,
            Function<String, Policy> policies,
            Clock clock,
            long checkMillis,
            AuditTrail audit,
            FerryMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
        this.vertx = vertx;
        this.runs = runs;
        this.jobs = jobs;
        this.planner = planner;
        this.policies = policies;
        this.clock = clock;
        this.checkMillis = checkMillis;
    }

    /** Triggers a policy; answers the run it started or joined. Fails for a paused or unknown policy. */
    public Future<RunRecord> trigger(String policyName) {
        return trigger(policyName, p -> p);
    }

    /**
     * Triggers a policy for a run that plans {@code narrow} of it (a registry event narrows it to
     * the repositories pushed). Coalescing is by policy name: joined while it runs, and the rerun
     * queued then is a full one.
     */
    public Future<RunRecord> trigger(String policyName, UnaryOperator<Policy> narrow) {
        Policy found = policies.apply(policyName);
        Policy policy = found == null ? null : narrow.apply(found);
        if (policy == null) {
            return Future.failedFuture(ApiException.notFound("policy", policyName));
        }
        String runId = "run-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        // Owned before it can start, so a run whose member dies is always found by adoptOrphans.
        return runs.own(runId).compose(v -> runs.start(policyName, runId)).compose(result -> {
            PolicyState.Start outcome = result.start();
            String id = result.runId();
            switch (outcome) {
                case PAUSED:
                    return Future.failedFuture(new ApiException(
                            409, "paused", "policy \"" + policyName + "\" is paused; resume it first"));
                case COALESCED:
                    return runs.get(id).map(r -> r.orElseThrow(() -> ApiException.notFound("run", id)));
                default:
                    RunRecord run = new RunRecord(runId, policyName, "planning", 0, 0, List.of(), clock.millis(), 0);
                    return runs.put(run).map(v -> {
                        execute(policy, run);
                        return run;
                    });
            }
        });
    }

    /**
     * Looks for orphaned runs every {@code periodMillis}: see {@link #adoptOrphans}. Called once,
     * when the member has joined its cluster. Answers the timer, to cancel when the member stops.
     */
    public long adoptOrphansEvery(long periodMillis) {
        return vertx.setPeriodic(
                periodMillis,
                periodMillis,
                t -> adoptOrphans()
                        .onFailure(e -> LOG.debug("looking for orphaned runs failed: {}", Quorum.describe(e))));
    }

    /**
     * Adopts the runs whose member left the cluster while planning or watching them (a member
     * killed or cut off). Without this such a run would stay active for ever, and every later
     * trigger of its policy would coalesce into it. A run that was still planning ends failed
     * and its policy runs again, so the plan is made anew; a planned run is watched here and ends
     * when its jobs do; a run that had ended but whose policy was not freed is freed. Answers how
     * many runs this member adopted.
     */
    public Future<Integer> adoptOrphans() {
        return runs.withActiveRuns().compose(states -> {
            List<Future<Boolean>> adopted = new ArrayList<>();
            for (PolicyState s : states) {
                String runId = s.activeRun();
                if (watches.containsKey(runId)) {
                    continue;
                }
                adopted.add(runs.takeOverIfOrphaned(runId)
                        .compose(taken -> taken ? adopt(s.name(), runId).map(true) : Future.succeededFuture(false)));
            }
            return Future.all(adopted).map(all -> (int) adopted.stream()
                    .filter(f -> Boolean.TRUE.equals(f.result()))
                    .count());
        });
    }

    private Future<Void> adopt(String policyName, String runId) {
        return runs.get(runId).map(found -> {
            if (found.isPresent() && found.get().ended()) {
                LOG.warn(
                        "run {} of {} had ended but its member left before freeing the policy; freeing it",
                        runId,
                        policyName);
                release(found.get(), 1);
            } else if (found.isPresent() && !found.get().state().equals("planning")) {
                LOG.warn("run {} of {}: the member watching it left the cluster; watching it here", runId, policyName);
                watch(found.get(), new BusyJobs(runId, jobs));
            } else {
                LOG.warn(
                        "run {} of {}: the member planning it left the cluster; it ends failed and the policy runs again",
                        runId,
                        policyName);
                long started = found.map(RunRecord::startedAt).orElse(clock.millis());
                storeFailedPlan(
                        new RunRecord(
                                runId,
                                policyName,
                                "failed",
                                0,
                                0,
                                List.of("planning interrupted: the member planning this run left the cluster;"
                                        + " the policy was triggered again"),
                                started,
                                clock.millis()),
                        1);
                // Coalesces into the failed run until it is freed, which then starts the rerun.
                trigger(policyName)
                        .onFailure(
                                e -> LOG.warn("rerun of {} after an interrupted plan: {}", policyName, e.getMessage()));
            }
            return null;
        });
    }

    /** Completes when the run has ended, with its final record. */
    public Future<RunRecord> awaitEnd(String runId) {
        Promise<RunRecord> done = Promise.promise();
        waiters.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).add(done);
        done.future()
                .onComplete(ar -> waiters.computeIfPresent(runId, (k, list) -> {
                    list.remove(done);
                    return list.isEmpty() ? null : list;
                }));
        poll(runId, done);
        return done.future();
    }

    /** Looks at the run record until it has ended: for runs watched by another member. */
    private void poll(String runId, Promise<RunRecord> done) {
        if (done.future().isComplete()) {
            return;
        }
        runs.get(runId).onComplete(ar -> {
            if (ar.failed()) {
                done.tryFail(ar.cause());
            } else if (ar.result().isEmpty()) {
                done.tryFail(ApiException.notFound("run", runId));
            } else if (ar.result().get().ended()) {
                done.tryComplete(ar.result().get());
            } else {
                vertx.setTimer(checkMillis, t -> poll(runId, done));
            }
        });
    }

    /**
     * Cancels a run: every job not yet finished is cancelled, and leased ones lose their lease,
     * so their workers stop copying at their next renew. A run still planning is cancelled
     * once its plan is queued. The run then ends as {@code cancelled}. Fails for an unknown run
     * and, with 409, for one that has ended.
     */
    public Future<RunRecord> cancel(String runId, String actor) {
        return runs.get(runId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("run", runId));
            }
            RunRecord run = found.get();
            if (run.ended()) {
                return Future.failedFuture(new ApiException(
                        409, "run_ended", "run " + runId + " has already ended (" + run.state() + ")"));
            }
            if (run.state().equals("planning")) {
                Promise<Void> planned = Promise.promise();
                vertx.setTimer(checkMillis, t -> planned.complete());
                return planned.future().compose(v -> cancel(runId, actor));
            }
            Watch watched = watches.get(runId);
            if (watched != null) {
                watched.busy.clear(); // a cancelled run re-plans nothing
            }
            return jobs.cancelRun(runId, "cancelled by " + actor)
                    .compose(cancelled -> audit.record(
                            actor,
                            "run.cancel",
                            "run/" + runId,
                            Map.of("policy", run.policy(), "jobs", cancelled.size())))
                    .map(v -> run);
        });
    }

    /** Counts of a run's jobs by state (API names). */
    public Future<Map<String, Integer>> counts(String runId) {
        return jobs.statesOfRun(runId).map(RunManager::countStates);
    }

    private void execute(Policy policy, RunRecord run) {
        StartupTrace.mark("first plan started");
        planner.plan(policy, run.id())
                .compose(plan -> {
                    StartupTrace.mark("first plan made");
                    BusyJobs busy = new BusyJobs(run.id(), jobs);
                    return enqueue(plan, busy).compose(v -> {
                        StartupTrace.mark("first plan queued");
                        reportErrors(plan);
                        if (busy.size() > 0) {
                            LOG.info(
                                    "run {} of {}: {} planned jobs are still leased by an earlier run; waiting for them",
                                    plan.runId(),
                                    plan.policy(),
                                    busy.size());
                        }
                        RunRecord running =
                                run.withPlan(plan.jobs().size(), plan.upToDate(), plan.errors(), plan.warnings());
                        return runs.put(running)
                                .onSuccess(stored -> watch(running, busy))
                                .map(running);
                    });
                })
                .onFailure(e -> {
                    String why = Quorum.describe(e);
                    LOG.warn("planning {} for run {} failed: {}", policy.name(), run.id(), why);
                    RunRecord failed = new RunRecord(
                            run.id(),
                            run.policy(),
                            "failed",
                            0,
                            0,
                            List.of("planning failed: " + why),
                            run.startedAt(),
                            clock.millis());
                    storeFailedPlan(failed, 1);
                });
    }

    /**
     * Stores a run whose planning failed, then ends it. The store is retried while the cluster
     * refuses it (this member is on the minority side of a split, which is also why planning
     * failed): a run must not stay "planning" for ever, holding its policy so that every later
     * sync coalesces into it.
     */
    private void storeFailedPlan(RunRecord failed, int attempt) {
        runs.put(failed).onComplete(put -> {
            if (put.succeeded()) {
                end(failed);
            } else if (attempt < MAX_STORE_ATTEMPTS) {
                LOG.warn(
                        "run {}: cannot record that its planning failed ({}); trying again",
                        failed.id(),
                        put.cause().toString());
                vertx.setTimer(retryDelay(attempt), t -> storeFailedPlan(failed, attempt + 1));
            } else {
                LOG.error("run {}: gave up recording that its planning failed after {} tries", failed.id(), attempt);
            }
        });
    }

    /** 1 s, 2 s, 4 s, ... at most 30 s between tries. */
    private static long retryDelay(int attempt) {
        return Math.min(30_000L, 1000L << Math.min(attempt - 1, 5));
    }

    /** Each part of the plan that could not be checked goes to the log and the plan-errors metric. */
    private void reportErrors(Plan plan) {
        Plan.Lookups lookups = plan.lookups();
        metrics.planTargetChecks(plan.policy(), lookups.fromRecord(), lookups.heads(), lookups.fromList());
        LOG.debug(
                "run {} of {}: {} target tags up to date by Ferry's record, {} absent from the target's tag list, {} HEADs at targets",
                plan.runId(),
                plan.policy(),
                lookups.fromRecord(),
                lookups.fromList(),
                lookups.heads());
        for (String warning : plan.warnings()) {
            LOG.warn("run {} of {}: {}", plan.runId(), plan.policy(), warning);
        }
        if (plan.errors().isEmpty()) {
            return;
        }
        metrics.planErrors(plan.policy(), plan.errors().size());
        for (String error : plan.errors()) {
            LOG.warn("run {} of {}: not planned: {}", plan.runId(), plan.policy(), error);
        }
    }

    /** Queues the plan's jobs; those still leased by an earlier run go to {@code busy}. */
    private Future<Void> enqueue(Plan plan, BusyJobs busy) {
        List<Future<JobState>> all = new ArrayList<>();
        long now = clock.millis();
        for (PlannedJob p : plan.jobs()) {
            JobKey key = JobKey.of(p.id(), p.tier(), p.targetRegistry(), p.targetRepository());
            Job planned =
                    Job.planned(key, plan.policy(), plan.runId(), p.tier(), p.tag(), p.sourceDigest(), p.spec(), now);
            all.add(jobs.upsert(planned).map(state -> {
                if (state == JobState.LEASED) {
                    busy.add(planned);
                }
                return state;
            }));
        }
        return Future.all(all).mapEmpty();
    }

    private void watch(RunRecord run, BusyJobs busy) {
        Watch w = new Watch(run, busy);
        watches.put(run.id(), w);
        w.look();
    }

    /**
     * A job of {@code runId} finished through this member: if this member watches that run and
     * has now seen as many jobs finish as were planned, it looks at once instead of at its next
     * tick.
     */
    public void jobFinished(String runId) {
        Watch w = runId == null ? null : watches.get(runId);
        // A look scans the run's jobs: only once every planned job has finished here. Runs whose
        // jobs finish through other members end at the next periodic look.
        if (w != null && w.finishedHere.incrementAndGet() >= w.run.planned()) {
            w.look();
        }
    }

    /** One watched run; its looks are serialised under its monitor. */
    private final class Watch {
        private final RunRecord run;
        private final BusyJobs busy;
        private final AtomicInteger finishedHere = new AtomicInteger();
        private boolean looking;
        private boolean again;
        private boolean ended;
        private long timer = -1;

        Watch(RunRecord run, BusyJobs busy) {
            this.run = run;
            this.busy = busy;
        }

        void look() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (looking) {
                    again = true;
                    return;
                }
                looking = true;
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                    timer = -1;
                }
            }
            jobs.statesOfRun(run.id())
                    .compose(states -> {
                        if (states.contains(JobState.CANCELLED)) {
                            busy.clear(); // cancelled through another member: re-plan nothing
                            return Future.succeededFuture(endedIfDone(run, states));
                        }
                        // Jobs the earlier run still leased first; the states again if any was re-planned here.
                        return busy.settle()
                                .compose(settled -> !settled
                                        ? Future.<RunRecord>succeededFuture(null)
                                        : busy.replannedAny()
                                                ? jobs.statesOfRun(run.id()).map(again -> endedIfDone(run, again))
                                                : Future.succeededFuture(endedIfDone(run, states)));
                    })
                    .onComplete(ar -> {
                        RunRecord finished = ar.succeeded() ? ar.result() : null;
                        boolean lookAgain;
                        synchronized (this) {
                            looking = false;
                            ended = finished != null;
                            lookAgain = !ended && again;
                            again = false;
                            if (!ended && !lookAgain) {
                                timer = vertx.setTimer(checkMillis, t -> {
                                    synchronized (this) {
                                        timer = -1;
                                    }
                                    look();
                                });
                            }
                        }
                        if (finished != null) {
                            watches.remove(run.id());
                            runs.put(finished).onComplete(v -> end(finished));
                        } else if (lookAgain) {
                            look();
                        }
                    });
        }
    }

    /** The run's end record once none of its jobs is open, else null. */
    private RunRecord endedIfDone(RunRecord run, Collection<JobState> of) {
        if (of.stream().anyMatch(s -> !s.finished())) {
            return null;
        }
        boolean cancelled = of.stream().anyMatch(s -> s == JobState.CANCELLED);
        boolean failed = !run.errors().isEmpty() || of.stream().anyMatch(s -> s != JobState.SUCCEEDED);
        String state = cancelled ? "cancelled" : failed ? "failed" : "succeeded";
        return run.ended(state, clock.millis());
    }

    private void end(RunRecord run) {
        List<Promise<RunRecord>> told = waiters.remove(run.id());
        if (told != null) {
            told.forEach(p -> p.tryComplete(run));
        }
        metrics.runEnded(run.policy(), run.state());
        release(run, 1);
    }

    /** Frees the run's policy for the next run, retried like {@link #storeFailedPlan}. */
    private void release(RunRecord run, int attempt) {
        runs.end(run.policy(), run.id()).onComplete(ar -> {
            if (ar.succeeded()) {
                if (ar.result()) {
                    trigger(run.policy())
                            .onFailure(e -> LOG.warn("coalesced rerun of {} failed: {}", run.policy(), e.getMessage()));
                }
            } else if (attempt < MAX_STORE_ATTEMPTS) {
                LOG.warn(
                        "run {}: cannot free policy {} for its next run ({}); trying again",
                        run.id(),
                        run.policy(),
                        ar.cause().toString());
                vertx.setTimer(retryDelay(attempt), t -> release(run, attempt + 1));
            } else {
                LOG.error("run {}: gave up freeing policy {} after {} tries", run.id(), run.policy(), attempt);
            }
        });
    }

    /** About a day of tries at the longest delay. */
    private static final int MAX_STORE_ATTEMPTS = 3000;

    static Map<String, Integer> countStates(Collection<JobState> states) {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        states.forEach(s -> counts.merge(s, 1, Integer::sum));
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k.apiName(), v));
        return out;
    }
}
