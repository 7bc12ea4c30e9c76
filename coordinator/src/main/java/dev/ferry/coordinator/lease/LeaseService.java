package dev.ferry.coordinator.lease;

import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.job.LeaseIds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Hands out leases from this member's ready index: tiers by weighted fair share,
 * repositories round robin, each candidate confirmed by the lease entry processor (which
 * alone decides). A request with nothing ready waits, without blocking, until a job becomes
 * ready or its wait runs out. A periodic sweep re-queues expired leases.
 */
public final class LeaseService {

  private final Vertx vertx;
  private final JobStore store;
  private final ReadyIndex index;
  private final Clock clock;
  private final LeaseSettings settings;
  private final TierPicker picker;
  private final ConcurrentLinkedQueue<Promise<Void>> waiters = new ConcurrentLinkedQueue<>();
  private long sweepTimer = -1;
  private volatile RemoteLeases remote;

  public LeaseService(Vertx vertx, JobStore store, ReadyIndex index, Clock clock, LeaseSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.index = index;
    this.clock = clock;
    this.settings = settings;
    this.picker = new TierPicker(settings.tierWeights());
    index.onReady(this::wakeOne);
  }

  /** Lets requests this member cannot serve from its own partitions ask the other members. */
  public void useRemote(RemoteLeases others) {
    this.remote = others;
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
    Promise<Void> w;
    while ((w = waiters.poll()) != null) {
      w.tryComplete();
    }
  }

  /** Up to {@code capacity} leased jobs, waiting up to {@code waitMillis} for the first. */
  public Future<List<Job>> lease(String workerId, int capacity, long waitMillis) {
    // Waiting is real time (timers), whatever clock decides leases and backoff.
    long deadline = System.nanoTime() / 1_000_000 + waitMillis;
    return attempt(workerId, capacity, deadline);
  }

  /** From this member's own partitions only, without waiting: what other members ask for. */
  public Future<List<Job>> leaseLocal(String workerId, int capacity) {
    return takeUpTo(workerId, capacity, new ArrayList<>());
  }

  private Future<List<Job>> attempt(String workerId, int capacity, long deadline) {
    RemoteLeases others = remote;
    return takeUpTo(workerId, capacity, new ArrayList<>()).compose(local -> {
      if (!local.isEmpty() || others == null) {
        return Future.succeededFuture(local);
      }
      return others.fromOthers(workerId, capacity);
    }).compose(got -> {
      long left = deadline - System.nanoTime() / 1_000_000;
      if (!got.isEmpty() || left <= 0) {
        return Future.succeededFuture(got);
      }
      Promise<Void> wake = Promise.promise();
      waiters.add(wake);
      long timer = vertx.setTimer(Math.min(left, 1000), t -> wake.tryComplete());
      return wake.future().compose(v -> {
        vertx.cancelTimer(timer);
        waiters.remove(wake);
        return attempt(workerId, capacity, deadline);
      });
    });
  }

  private Future<List<Job>> takeUpTo(String workerId, int capacity, List<Job> acc) {
    if (acc.size() >= capacity) {
      return Future.succeededFuture(acc);
    }
    long now = clock.millis();
    String tier;
    synchronized (picker) {
      tier = picker.next(t -> index.hasReady(t, now));
    }
    if (tier == null) {
      return Future.succeededFuture(acc);
    }
    JobKey key = index.take(tier, now);
    if (key == null) {
      return Future.succeededFuture(acc);
    }
    String leaseId = LeaseIds.newLeaseId(key);
    return store.lease(key, leaseId, workerId, settings.ttl().toMillis()).compose(leased -> {
      if (leased.isPresent()) {
        acc.add(leased.get());
        return takeUpTo(workerId, capacity, acc);
      }
      index.release(key);
      // The index was stale for this key: bring it back in line with the map.
      return store.get(key).compose(current -> {
        current.ifPresent(index::onJob);
        return takeUpTo(workerId, capacity, acc);
      });
    });
  }

  private void wakeOne() {
    Promise<Void> w = waiters.poll();
    if (w != null) {
      w.tryComplete();
    }
  }

  private void sweep() {
    for (JobKey key : index.expired(clock.millis())) {
      store.expire(key);
    }
  }
}
