package dev.ferry.coordinator.metrics;

import com.hazelcast.map.IMap;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicates;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replication lag per policy and target registry: the age of the oldest change a policy
 * planned that has not reached its target yet (its job is queued, leased or held). Zero when
 * the target is caught up. Restore jobs (rollbacks, repairs) are not lag.
 *
 * <p>Every member computes it over the whole cluster (a projection of pending jobs), so every
 * member exports the same values; aggregate with {@code max by (policy, registry)}.
 */
public final class ReplicationLag {

    private final IMap<JobKey, Job> jobs;
    private final Vertx vertx;
    private final Clock clock;
    private final FerryMetrics metrics;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    public ReplicationLag(IMap<JobKey, Job> jobs, Vertx vertx, Clock clock, FerryMetrics metrics) {
        this.jobs = jobs;
        this.vertx = vertx;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Recomputes the lag of every (policy, target registry) seen; answers it in seconds. Off the event loop. */
    public Future<Map<String, Double>> refresh() {
        return vertx.executeBlocking(
                () -> {
                    Collection<Object[]> pending = jobs.project(
                            Projections.<Map.Entry<JobKey, Job>>multiAttribute("policy", "createdAt", "key.partition"),
                            Predicates.in("state", JobState.QUEUED, JobState.LEASED, JobState.HELD));
                    long now = clock.millis();
                    Map<String, Long> oldest = new HashMap<>();
                    for (Object[] row : pending) {
                        String policy = (String) row[0];
                        if (policy == null || policy.startsWith("(")) {
                            continue;
                        }
                        String partition = (String) row[2];
                        String registry = partition.substring(
                                partition.indexOf('|') + 1, partition.indexOf('|', partition.indexOf('|') + 1));
                        oldest.merge(policy + "|" + registry, (Long) row[1], Math::min);
                    }
                    Map<String, Double> lag = new HashMap<>();
                    Set<String> all = new java.util.HashSet<>(known.keySet());
                    all.addAll(oldest.keySet());
                    for (String key : all) {
                        Long since = oldest.get(key);
                        double seconds = since == null ? 0.0 : Math.max(0, now - since) / 1000.0;
                        lag.put(key, seconds);
                        known.put(key, Boolean.TRUE);
                        int bar = key.indexOf('|');
                        metrics.replicationLag(key.substring(0, bar), key.substring(bar + 1), seconds);
                    }
                    return lag;
                },
                false);
    }
}
