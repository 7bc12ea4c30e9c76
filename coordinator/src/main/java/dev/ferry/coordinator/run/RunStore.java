package dev.ferry.coordinator.run;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.hz.HzFutures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs and policy states in the cluster. */
public final class RunStore {

    public static final String RUNS_MAP = "ferry-runs";
    public static final String POLICIES_MAP = "ferry-policies";
    /** Run id to the UUID of the member that planned it and watches it. */
    public static final String OWNERS_MAP = "ferry-run-owners";
    /** An owner entry outlives any run. */
    private static final long OWNER_DAYS = 7;

    private final IMap<String, RunRecord> runs;
    private final IMap<String, PolicyState> policies;
    private final IMap<String, String> owners;
    private final Cluster cluster;
    private final Vertx vertx;

    public RunStore(HazelcastInstance hazelcast, Vertx vertx) {
        this.runs = hazelcast.getMap(RUNS_MAP);
        this.policies = hazelcast.getMap(POLICIES_MAP);
        this.owners = hazelcast.getMap(OWNERS_MAP);
        this.cluster = hazelcast.getCluster();
        this.vertx = vertx;
    }

    /** Records this member as the one that plans and watches {@code runId}; done before the run can start. */
    Future<Void> own(String runId) {
        return HzFutures.on(
                        vertx.getOrCreateContext(),
                        owners.setAsync(
                                runId, cluster.getLocalMember().getUuid().toString(), OWNER_DAYS, TimeUnit.DAYS))
                .mapEmpty();
    }

    /**
     * Takes {@code runId} over when the member that owned it is no longer in the cluster (killed,
     * or gone while planning or watching it). True when this member owns it now; false while its
     * owner is alive, or when another member took it over first.
     */
    Future<Boolean> takeOverIfOrphaned(String runId) {
        return vertx.executeBlocking(
                () -> {
                    String self = cluster.getLocalMember().getUuid().toString();
                    String owner = owners.get(runId);
                    Set<String> live = cluster.getMembers().stream()
                            .map(m -> m.getUuid().toString())
                            .collect(Collectors.toSet());
                    if (owner != null && live.contains(owner)) {
                        return false;
                    }
                    return owner == null
                            ? owners.putIfAbsent(runId, self, OWNER_DAYS, TimeUnit.DAYS) == null
                            : owners.replace(runId, owner, self);
                },
                false);
    }

    /** The policies that have a run in progress. */
    Future<List<PolicyState>> withActiveRuns() {
        return vertx.executeBlocking(
                () -> policies.values().stream()
                        .filter(s -> s.activeRun() != null)
                        .toList(),
                false);
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

    public Future<Collection<RunRecord>> active() {
        return vertx.executeBlocking(
                () -> runs.values().stream().filter(r -> !r.ended()).toList(), false);
    }
}
