package dev.ferry.coordinator.quota;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Divides a registry's {@code requestsPerSecond} and {@code maxConcurrency} among the
 * workers: every worker enforces its own caps, so each gets the total divided by the
 * workers seen polling for leases in the last minute, cluster-wide (at least 1 each). The
 * census is a replicated map of worker ids with a one-minute time to live, refreshed by each
 * worker's lease polls; each member reads its size every few seconds, off the event loop.
 */
public final class WorkerShares {

    public static final String MAP_NAME = "ferry-workers-seen";
    static final long SEEN_TTL_MILLIS = 60_000;
    /** A worker's entry is rewritten at most this often by one member. */
    static final long REWRITE_MILLIS = 10_000;

    static final long COUNT_MILLIS = 3_000;

    private final Vertx vertx;
    private final IMap<String, Long> seen;
    private final Clock clock;
    private final Map<String, Long> written = new ConcurrentHashMap<>();
    private volatile int workers = 1;
    private long timer = -1;

    public WorkerShares(Vertx vertx, HazelcastInstance hazelcast, Clock clock) {
        this.vertx = vertx;
        this.seen = hazelcast.getMap(MAP_NAME);
        this.clock = clock;
    }

    public void start() {
        timer = vertx.setPeriodic(
                COUNT_MILLIS,
                id -> vertx.<Integer>executeBlocking(seen::size, false).onSuccess(n -> workers = Math.max(1, n)));
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** A worker asked for leases. */
    public void seen(String workerId) {
        long now = clock.millis();
        Long last = written.get(workerId);
        if (last == null || now - last >= REWRITE_MILLIS) {
            written.put(workerId, now);
            seen.setAsync(workerId, now, SEEN_TTL_MILLIS, TimeUnit.MILLISECONDS);
            if (last == null) {
                workers = Math.max(workers, written.size());
            }
        }
    }

    /** Workers seen lately, cluster-wide (at least 1). */
    public int workers() {
        return workers;
    }

    /** The job's spec with both endpoints' caps divided among the workers. */
    public JobSpec divide(JobSpec spec) {
        int n = workers;
        if (spec == null || n <= 1) {
            return spec;
        }
        return new JobSpec(
                spec.policy(),
                spec.runId(),
                spec.tier(),
                divide(spec.source(), n),
                divide(spec.target(), n),
                spec.platforms(),
                spec.referrers(),
                spec.cosignKeys());
    }

    static Endpoint divide(Endpoint e, int workers) {
        if (e == null || e.limits() == null) {
            return e;
        }
        Limits l = e.limits();
        Limits shared = new Limits(
                share(l.requestsPerSecond(), workers),
                share(l.maxConcurrency(), workers),
                l.retry(),
                l.circuitBreaker(),
                l.timeouts());
        return e.withLimits(shared);
    }

    private static Integer share(Integer total, int workers) {
        return total == null ? null : Math.max(1, total / workers);
    }
}
