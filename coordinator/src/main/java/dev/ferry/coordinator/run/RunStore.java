package dev.ferry.coordinator.run;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
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

  Future<Object[]> start(String policy, String runId) {
    return Future.fromCompletionStage(policies.submitToKey(policy, new PolicyState.StartRun(policy, runId)),
        vertx.getOrCreateContext());
  }

  Future<Boolean> end(String policy, String runId) {
    return Future.fromCompletionStage(policies.submitToKey(policy, new PolicyState.EndRun(runId)),
        vertx.getOrCreateContext());
  }

  public Future<PolicyState> setPaused(String policy, boolean paused) {
    return Future.fromCompletionStage(policies.submitToKey(policy, new PolicyState.SetPaused(policy, paused)),
        vertx.getOrCreateContext());
  }

  public Future<PolicyState> policyState(String policy) {
    return Future.fromCompletionStage(policies.getAsync(policy), vertx.getOrCreateContext())
        .map(s -> s == null ? PolicyState.initial(policy) : s);
  }

  Future<Void> put(RunRecord run) {
    return Future.fromCompletionStage(runs.setAsync(run.id(), run), vertx.getOrCreateContext());
  }

  public Future<Optional<RunRecord>> get(String runId) {
    return Future.fromCompletionStage(runs.getAsync(runId), vertx.getOrCreateContext()).map(Optional::ofNullable);
  }

  public Future<java.util.Collection<RunRecord>> active() {
    return vertx.executeBlocking(() -> runs.values().stream().filter(r -> !r.ended()).toList(), false);
  }
}
