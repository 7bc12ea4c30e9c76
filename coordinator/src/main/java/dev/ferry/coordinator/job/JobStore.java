package dev.ferry.coordinator.job;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.Outcome;
import dev.ferry.coordinator.hz.HzFutures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The jobs map. Every state change is an entry processor on the job's partition thread;
 * callers get Vert.x Futures and never block an event loop on Hazelcast.
 */
public final class JobStore {

    public static final String MAP_NAME = "ferry-jobs";

    private final IMap<JobKey, Job> map;
    private final Vertx vertx;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration retention;
    private final JobBatcher batcher;

    /** @param retention how long finished jobs stay visible before they are evicted */
    public JobStore(HazelcastInstance hazelcast, Vertx vertx, Clock clock, Backoff backoff, Duration retention) {
        this.map = hazelcast.getMap(MAP_NAME);
        this.vertx = vertx;
        this.clock = clock;
        this.backoff = backoff;
        this.retention = retention;
        this.batcher = new JobBatcher(map, vertx);
    }

    public IMap<JobKey, Job> map() {
        return map;
    }

    private long now() {
        return clock.millis();
    }

    /** Every change goes through the batcher: many callers' changes travel to the partitions together. */
    private <R> Future<R> run(JobKey key, EntryProcessor<JobKey, Job, R> processor) {
        return batcher.submit(key, processor);
    }

    public Future<JobState> upsert(Job planned) {
        return run(planned.key(), new JobProcessors.Upsert(planned, now()));
    }

    public Future<Optional<Job>> lease(JobKey key, String leaseId, String workerId, long ttlMillis) {
        return run(key, new JobProcessors.Lease(leaseId, workerId, ttlMillis, now()))
                .map(Optional::ofNullable);
    }

    /** Extends a lease; {@code token} -1 renews by lease id alone. Empty when the lease is lost. */
    public Future<Optional<Job>> renew(JobKey key, String leaseId, long token, long bytesDone, long ttlMillis) {
        return run(key, new JobProcessors.Renew(leaseId, token, bytesDone, ttlMillis, now()))
                .map(Optional::ofNullable);
    }

    /**
     * Asks whether the lease may write {@code digest} under {@code tag}: the three-way rule's
     * decision, recorded as the job's intent when allowed. Empty when the lease or token is stale.
     */
    public Future<Optional<CommitDecision>> commitIntent(
            JobKey key,
            String leaseId,
            long token,
            String tag,
            String digest,
            String current,
            String lastWritten,
            String onConflict,
            boolean immutable) {
        return run(
                        key,
                        new JobProcessors.CommitIntent(
                                leaseId, token, tag, digest, current, lastWritten, onConflict, immutable, now()))
                .map(Optional::ofNullable);
    }

    /** As above for a tag the worker found absent (or did not look at), under onConflict: fail. */
    public Future<Optional<CommitDecision>> commitIntent(
            JobKey key, String leaseId, long token, String tag, String digest) {
        return commitIntent(key, leaseId, token, tag, digest, null, null, "fail", false);
    }

    public Future<Optional<Job>> complete(
            JobKey key, String leaseId, long token, Outcome outcome, String error, boolean temporary) {
        return complete(key, leaseId, token, outcome, error, temporary, 0);
    }

    /** @param holdMillis for a {@code held} outcome, how long the job waits; 0 for the default */
    public Future<Optional<Job>> complete(
            JobKey key, String leaseId, long token, Outcome outcome, String error, boolean temporary, long holdMillis) {
        return completeAll(List.of(new Completing(key, leaseId, token, outcome, error, temporary, holdMillis)))
                .get(0);
    }

    /** One completion of {@link #completeAll}: the arguments of {@link #complete} for one lease. */
    public record Completing(
            JobKey key,
            String leaseId,
            long token,
            Outcome outcome,
            String error,
            boolean temporary,
            long holdMillis) {}

    /**
     * Completes several leases in one grouped write: their {@code Complete} steps are queued
     * together and reach the partitions in as few operations as the batcher allows. Each
     * result is what {@link #complete} would have answered for it, in the order given.
     */
    public List<Future<Optional<Job>>> completeAll(List<Completing> completions) {
        long now = now();
        List<Map.Entry<JobKey, ? extends EntryProcessor<JobKey, Job, Job>>> steps = new ArrayList<>();
        for (Completing c : completions) {
            steps.add(Map.entry(
                    c.key(),
                    new JobProcessors.Complete(
                            c.leaseId(),
                            c.token(),
                            c.outcome(),
                            c.error(),
                            c.temporary(),
                            backoff,
                            retention.toMillis(),
                            now,
                            c.holdMillis())));
        }
        return batcher.<Job>submitAll(steps).stream()
                .map(f -> f.map(Optional::ofNullable))
                .toList();
    }

    /** Holds a waiting job until {@code until} without counting an attempt; empty when it was not waiting. */
    public Future<Optional<Job>> hold(JobKey key, String reason, long until) {
        return run(key, new JobProcessors.Hold(reason, until, now())).map(Optional::ofNullable);
    }

    public Future<Optional<Job>> expire(JobKey key) {
        return run(key, new JobProcessors.Expire(now())).map(Optional::ofNullable);
    }

    public Future<Optional<Job>> get(JobKey key) {
        return HzFutures.on(vertx.getOrCreateContext(), map.getAsync(key)).map(Optional::ofNullable);
    }

    /** A query over all jobs, run off the event loop (it touches every partition). */
    public Future<Collection<Job>> query(Predicate<JobKey, Job> predicate) {
        return vertx.executeBlocking(() -> map.values(predicate), false);
    }

    /**
     * The states of a run's jobs: a projection, so only the states cross the cluster. A scan of
     * every partition (the map has no index: an index makes each entry processor clone the job
     * before changing it, which cost a quarter of lease throughput). Off the event loop.
     */
    public Future<Collection<JobState>> statesOfRun(String runId) {
        return vertx.executeBlocking(
                () -> map.project(
                        Projections.<Map.Entry<JobKey, Job>, JobState>singleAttribute("state"),
                        Predicates.equal("runId", runId)),
                false);
    }

    /**
     * Cancels every unfinished job of a run, each through the batcher like any other change (so
     * the ready index hears of it). Answers the jobs it cancelled.
     */
    public Future<List<Job>> cancelRun(String runId, String reason) {
        return vertx.executeBlocking(() -> map.keySet(Predicates.equal("runId", runId)), false)
                .compose(keys -> {
                    List<Future<Job>> all = new ArrayList<>();
                    for (JobKey key : keys) {
                        all.add(run(key, new JobProcessors.Cancel(reason, retention.toMillis(), now())));
                    }
                    return Future.all(all)
                            .map(done -> all.stream()
                                    .map(Future::result)
                                    .filter(Objects::nonNull)
                                    .toList());
                });
    }
}
