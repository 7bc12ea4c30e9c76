package dev.ferry.coordinator.api;

import static dev.ferry.coordinator.api.Fakes.T0;
import static dev.ferry.coordinator.api.Fakes.T1;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.run.RunViews;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** Policies, runs and jobs in memory; a waiting sync is ended by the test with {@link #completeSync}. */
final class FakeRuns implements RunService {

    final Map<String, RunViews.Policy> policies = new ConcurrentHashMap<>(Map.of("apps", policy("apps", false)));
    final Map<String, RunViews.Run> runs = new ConcurrentHashMap<>(Map.of(
            "r-1", new RunViews.Run("r-1", "apps", "succeeded", Map.of("planned", 3, "succeeded", 3), T0, T1, null)));
    final List<RunViews.Job> jobs = new ArrayList<>(List.of(new RunViews.Job(
            "j-1",
            "apps",
            "r-1",
            "high",
            "queued",
            "hub-eu/team/api:v1",
            "mirror-us/mirror/team/api:v1",
            0,
            null,
            null,
            0)));
    volatile RunViews.JobQuery lastJobQuery;
    volatile String lastCancel;
    private volatile Fakes.Pending<RunViews.Run> pendingSync;
    private final CountDownLatch syncCalled = new CountDownLatch(1);

    static RunViews.Policy policy(String name, boolean paused) {
        return new RunViews.Policy(name, "high", "every 5m", paused, "hub-eu/team/*", List.of("mirror-us"), "r-1");
    }

    static RunViews.Run running(String policy) {
        return new RunViews.Run("r-2", policy, "running", Map.of("planned", 2), T0, null, null);
    }

    static RunViews.Run ended(String policy) {
        return new RunViews.Run("r-2", policy, "succeeded", Map.of("planned", 2, "succeeded", 2), T0, T1, null);
    }

    @Override
    public Future<List<RunViews.Policy>> policies() {
        return Future.succeededFuture(List.copyOf(policies.values()));
    }

    @Override
    public Future<RunViews.Run> sync(String policy, boolean wait) {
        if (!policies.containsKey(policy)) {
            return Future.failedFuture(ApiException.notFound("policy", policy));
        }
        if (!wait) {
            return Future.succeededFuture(running(policy));
        }
        Fakes.Pending<RunViews.Run> pending = new Fakes.Pending<>(Vertx.currentContext(), Promise.promise());
        pendingSync = pending;
        syncCalled.countDown();
        return pending.promise().future();
    }

    /** Waits until the API has asked for a waiting sync, then ends that run. */
    void completeSync(RunViews.Run run) throws InterruptedException {
        Fakes.awaitLatch(syncCalled);
        pendingSync.complete(run);
    }

    boolean syncPending() {
        return pendingSync != null && !pendingSync.promise().future().isComplete();
    }

    @Override
    public Future<RunViews.Policy> pause(String policy) {
        return setPaused(policy, true);
    }

    @Override
    public Future<RunViews.Policy> resume(String policy) {
        return setPaused(policy, false);
    }

    private Future<RunViews.Policy> setPaused(String name, boolean paused) {
        if (!policies.containsKey(name)) {
            return Future.failedFuture(ApiException.notFound("policy", name));
        }
        RunViews.Policy updated = policy(name, paused);
        policies.put(name, updated);
        return Future.succeededFuture(updated);
    }

    @Override
    public Future<RunViews.Run> run(String runId) {
        RunViews.Run run = runs.get(runId);
        return run == null ? Future.failedFuture(ApiException.notFound("run", runId)) : Future.succeededFuture(run);
    }

    @Override
    public Future<RunViews.Run> cancelRun(String runId, String actor) {
        RunViews.Run r = runs.get(runId);
        if (r == null) {
            return Future.failedFuture(ApiException.notFound("run", runId));
        }
        if (r.endedAt() != null) {
            return Future.failedFuture(
                    new ApiException(409, "run_ended", "run " + runId + " has already ended (" + r.state() + ")"));
        }
        lastCancel = runId + "|" + actor;
        return Future.succeededFuture(
                new RunViews.Run(runId, r.policy(), "cancelling", Map.of("cancelled", 2), r.startedAt(), null, null));
    }

    @Override
    public Future<List<RunViews.Job>> jobs(RunViews.JobQuery query) {
        lastJobQuery = query;
        return Future.succeededFuture(List.copyOf(jobs));
    }
}
