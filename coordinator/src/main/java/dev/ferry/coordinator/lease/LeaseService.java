package dev.ferry.coordinator.lease;

import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.job.LeaseIds;
import dev.ferry.coordinator.metrics.FerryMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Hands out leases from this member's ready index: tiers by weighted fair share,
 * repositories round robin, each candidate confirmed by the lease entry processor (which
 * alone decides). A request with nothing ready waits, without blocking, until a job becomes
 * ready or its wait runs out. A periodic sweep re-queues expired leases.
 */
public final class LeaseService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeaseService.class);

    private final Vertx vertx;
    private final JobStore store;
    private final ReadyIndex index;
    private final Clock clock;
    private final LeaseSettings settings;
    private final TierPicker picker;
    /** A waiting request, woken on its own context (the wake-up comes from a partition thread). */
    private record Waiter(Context context, Promise<Void> wake) {}

    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private long sweepTimer = -1;
    private final RemoteLeases remote;
    private final FerryMetrics metrics;
    private final Function<String, String> writeHolds;
    private final long holdMillis;

    /**
     * @param remote asks the other members when this member's partitions have nothing ready;
     *     null to serve from this member's partitions only
     * @param writeHolds why a target registry takes no writes now (null: writes may go ahead);
     *     such a registry's jobs are held instead of leased, and looked at again after
     *     {@code holdMillis}
     */
    public LeaseService(
            Vertx vertx,
            JobStore store,
            ReadyIndex index,
            Clock clock,
            LeaseSettings settings,
            FerryMetrics metrics,
            RemoteLeases remote,
            Function<String, String> writeHolds,
            long holdMillis) {
        this.vertx = vertx;
        this.store = store;
        this.index = index;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.remote = remote;
        this.writeHolds = writeHolds;
        this.holdMillis = holdMillis;
        this.picker = new TierPicker(settings.tierWeights());
        index.onReady(this::wakeOne);
    }

    public LeaseSettings settings() {
        return settings;
    }

    public void start() {
        sweepTimer = vertx.setPeriodic(settings.sweepInterval().toMillis(), id -> sweep());
    }

    public void stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        Waiter w;
        while ((w = waiters.poll()) != null) {
            Promise<Void> wake = w.wake();
            w.context().runOnContext(v -> wake.tryComplete());
        }
    }

    /** Up to {@code capacity} leased jobs for a worker that names no region. */
    public Future<List<Job>> lease(String workerId, int capacity, long waitMillis) {
        return lease(workerId, null, capacity, waitMillis);
    }

    /**
     * Up to {@code capacity} leased jobs, waiting up to {@code waitMillis} for the first. Jobs
     * whose target registry is in {@code region} (may be null) are preferred.
     */
    public Future<List<Job>> lease(String workerId, String region, int capacity, long waitMillis) {
        // Waiting is real time (timers), whatever clock decides leases and backoff.
        long started = System.nanoTime();
        long deadline = started / 1_000_000 + waitMillis;
        return attempt(workerId, region, capacity, deadline).onSuccess(got -> {
            FerryMetrics m = metrics;
            m.leaseRequest(java.time.Duration.ofNanos(System.nanoTime() - started), !got.isEmpty());
            got.stream()
                    .collect(java.util.stream.Collectors.groupingBy(Job::tier, java.util.stream.Collectors.counting()))
                    .forEach((tier, n) -> m.leasesGranted(tier, n.intValue()));
        });
    }

    /** From this member's own partitions only, without waiting: what other members ask for. */
    public Future<List<Job>> leaseLocal(String workerId, String region, int capacity) {
        return takeUpTo(workerId, region, capacity, new ArrayList<>());
    }

    private Future<List<Job>> attempt(String workerId, String region, int capacity, long deadline) {
        RemoteLeases others = remote;
        return takeUpTo(workerId, region, capacity, new ArrayList<>())
                .compose(local -> {
                    if (!local.isEmpty() || others == null) {
                        return Future.succeededFuture(local);
                    }
                    return others.fromOthers(workerId, region, capacity);
                })
                .compose(got -> {
                    long left = deadline - System.nanoTime() / 1_000_000;
                    if (!got.isEmpty() || left <= 0) {
                        return Future.succeededFuture(got);
                    }
                    Promise<Void> wake = Promise.promise();
                    Waiter waiter = new Waiter(vertx.getOrCreateContext(), wake);
                    waiters.add(waiter);
                    long timer = vertx.setTimer(Math.min(left, 1000), t -> wake.tryComplete());
                    return wake.future().compose(v -> {
                        vertx.cancelTimer(timer);
                        waiters.remove(waiter);
                        return attempt(workerId, region, capacity, deadline);
                    });
                });
    }

    /**
     * Takes up to the missing number of candidates from the index at once and leases them
     * together (the store batches them with other requests' changes). A candidate the index
     * had wrong is put right from the map, and another round fills its place.
     */
    private Future<List<Job>> takeUpTo(String workerId, String region, int capacity, List<Job> acc) {
        long now = clock.millis();
        List<JobKey> candidates = new ArrayList<>();
        synchronized (picker) {
            while (acc.size() + candidates.size() < capacity) {
                String tier = picker.next(t -> index.hasReady(t, now));
                JobKey key = tier == null ? null : index.take(tier, now, region);
                if (key == null) {
                    break;
                }
                candidates.add(key);
            }
        }
        if (candidates.isEmpty()) {
            return Future.succeededFuture(acc);
        }
        List<Future<Boolean>> attempts = new ArrayList<>(candidates.size());
        for (JobKey key : candidates) {
            String repository = key.repositoryKey();
            String hold = writeHolds.apply(repository.substring(0, repository.indexOf('|')));
            if (hold != null) {
                attempts.add(store.hold(key, hold, now + holdMillis)
                        .map(held -> {
                            index.release(key);
                            held.ifPresent(index::onJob);
                            return false;
                        })
                        .onFailure(e -> index.release(key)));
                continue;
            }
            String leaseId = LeaseIds.newLeaseId(key);
            attempts.add(store.lease(key, leaseId, workerId, settings.ttl().toMillis())
                    .compose(leased -> {
                        if (leased.isPresent()) {
                            Job j = leased.get();
                            j.log(LOG)
                                    .info(
                                            "leased to worker {}: lease {}, fencing token {}, tier {}",
                                            workerId,
                                            leaseId,
                                            j.fencingToken(),
                                            j.tier());
                            synchronized (acc) {
                                acc.add(leased.get());
                            }
                            return Future.succeededFuture(true);
                        }
                        index.release(key);
                        // The index was stale for this key: bring it back in line with the map.
                        return store.get(key).map(current -> {
                            current.ifPresent(index::onJob);
                            return false;
                        });
                    })
                    .onFailure(e -> index.release(key)));
        }
        return Future.join(attempts).transform(done -> {
            Throwable failure = attempts.stream()
                    .filter(Future::failed)
                    .map(Future::cause)
                    .findFirst()
                    .orElse(null);
            if (failure != null) {
                // The store is failing (a partition moving, the cluster without its majority): report
                // what was leased, or the failure, rather than retrying in a tight loop.
                return acc.isEmpty() ? Future.failedFuture(failure) : Future.succeededFuture(acc);
            }
            boolean allLeased = attempts.stream().allMatch(f -> f.succeeded() && f.result());
            if (allLeased || acc.size() >= capacity) {
                return Future.succeededFuture(acc);
            }
            return takeUpTo(workerId, region, capacity, acc);
        });
    }

    private void wakeOne() {
        Waiter w = waiters.poll();
        if (w != null) {
            w.context().runOnContext(v -> w.wake().tryComplete());
        }
    }

    private void sweep() {
        for (JobKey key : index.expired(clock.millis())) {
            store.expire(key)
                    .onSuccess(requeued -> requeued.ifPresent(j -> {
                        metrics.leaseExpired();
                        j.log(LOG).info("lease expired without a renewal; re-queued (attempt {})", j.attempts());
                    }));
        }
    }
}
