package dev.ferry.coordinator.run;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.hz.HzFutures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/** Runs and policy states in the cluster. */
public final class RunStore {

    public static final String RUNS_MAP = "ferry-runs";
    public static final String POLICIES_MAP = "ferry-policies";

    private final IMap<String, RunRecord> runs;
    private final IMap<String, PolicyState> policies;
    private final Vertx vertx;

    public RunStore(HazelcastInstance hazelcast, Vertx vertx) {
        this.runs = hazelcast.getMap(RUNS_MAP);
        this.policies = hazelcast.getMap(POLICIES_MAP);
        this.vertx = vertx;
    }

    Future<PolicyState.Started> start(String policy, String runId) {
        return HzFutures.on(
                vertx.getOrCreateContext(), policies.submitToKey(policy, new PolicyState.StartRun(policy, runId)));
    }

    Future<Boolean> end(String policy, String runId) {
        return HzFutures.on(vertx.getOrCreateContext(), policies.submitToKey(policy, new PolicyState.EndRun(runId)));
    }

    public Future<PolicyState> setPaused(String policy, boolean paused) {
        return HzFutures.on(
                vertx.getOrCreateContext(), policies.submitToKey(policy, new PolicyState.SetPaused(policy, paused)));
    }

    public Future<PolicyState> policyState(String policy) {
        return HzFutures.on(vertx.getOrCreateContext(), policies.getAsync(policy))
                .map(s -> s == null ? PolicyState.initial(policy) : s);
    }

    Future<Void> put(RunRecord run) {
        return HzFutures.on(vertx.getOrCreateContext(), runs.setAsync(run.id(), run));
    }

    public Future<Optional<RunRecord>> get(String runId) {
        return HzFutures.on(vertx.getOrCreateContext(), runs.getAsync(runId)).map(Optional::ofNullable);
    }

    public Future<java.util.Collection<RunRecord>> active() {
        return vertx.executeBlocking(
                () -> runs.values().stream().filter(r -> !r.ended()).toList(), false);
    }
}
