package dev.ferry.coordinator.job;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.cluster.HzFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Sends the job changes of many callers to the jobs map together (group commit).
 *
 * <p>One {@code submitToKey} per lease, renew or completion costs a member far more in
 * invocation, hand-over between threads and response than the entry processor itself does:
 * on the 2-core benchmark machine a member ran about 2,600 single-key processors a second
 * and several times that in batches. So changes that arrive while a batch is in flight wait
 * for the next one, which carries all of them as one {@link Batch} through
 * {@code submitToKeys}; Hazelcast splits it by partition and member. A lone change goes out
 * at once, so an idle coordinator adds no delay.
 *
 * <p>A batch holds at most one change per job. A second change to the same job (a renew
 * right behind its lease, say) waits for the following batch, so changes to one job are
 * applied in the order they were submitted.
 */
public final class JobBatcher {

  /**
   * Concurrent batches. About one per partition thread (Hazelcast has one per core) kept the
   * benchmark member busiest: more only queue behind each other on the same threads.
   */
  static final int MAX_IN_FLIGHT = Integer.getInteger("ferry.jobs.batchesInFlight",
      Math.max(2, Runtime.getRuntime().availableProcessors()));
  static final int MAX_BATCH = 512;

  private record Pending(JobKey key, EntryProcessor<JobKey, Job, ?> step, CompletableFuture<Object> result) {}

  private final IMap<JobKey, Job> map;
  private final Vertx vertx;
  /** Where batches that waited for a slot are sent from. */
  private final Context sender;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  public JobBatcher(IMap<JobKey, Job> map, Vertx vertx) {
    this.map = map;
    this.vertx = vertx;
    this.sender = vertx.getOrCreateContext();
  }

  /** Applies {@code step} to the job at {@code key}; the result arrives on the caller's context. */
  @SuppressWarnings("unchecked")
  public <R> Future<R> submit(JobKey key, EntryProcessor<JobKey, Job, R> step) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    Future<R> answer = HzFutures.on(vertx.getOrCreateContext(), (CompletableFuture<R>) (CompletableFuture<?>) result);
    synchronized (this) {
      queue.addLast(new Pending(key, step, result));
    }
    drain();
    return answer;
  }

  private void drain() {
    while (true) {
      Map<JobKey, Pending> batch;
      synchronized (this) {
        if (inFlight >= MAX_IN_FLIGHT || queue.isEmpty()) {
          return;
        }
        batch = takeBatch();
        inFlight++;
      }
      send(batch);
    }
  }

  /** The oldest changes, at most one per job; the rest keep their place in the queue. */
  private Map<JobKey, Pending> takeBatch() {
    Map<JobKey, Pending> batch = new LinkedHashMap<>();
    List<Pending> later = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      Pending p = queue.pollFirst();
      if (batch.containsKey(p.key())) {
        later.add(p);
      } else {
        batch.put(p.key(), p);
      }
    }
    for (int i = later.size() - 1; i >= 0; i--) {
      queue.addFirst(later.get(i));
    }
    return batch;
  }

  private void send(Map<JobKey, Pending> batch) {
    Map<JobKey, EntryProcessor<JobKey, Job, ?>> steps = new HashMap<>(batch.size() * 2);
    batch.forEach((k, p) -> steps.put(k, p.step()));
    map.submitToKeys(batch.keySet(), new Batch(steps, true)).whenCompleteAsync((results, failure) -> {
      synchronized (this) {
        inFlight--;
      }
      if (failure != null) {
        batch.values().forEach(p -> p.result().completeExceptionally(failure));
      } else {
        batch.forEach((k, p) -> p.result().complete(results.get(k)));
      }
      // This may be a partition thread, which must not start the next batch: the event loop does.
      boolean more;
      synchronized (this) {
        more = !queue.isEmpty();
      }
      if (more) {
        sender.runOnContext(v -> drain());
      }
    }, HzFutures.INLINE);
  }

  /**
   * Applies each job's own step on the job's partition. Deterministic, like every step, so
   * the backup replica, which runs {@link #getBackupProcessor()} on its copy, arrives at the
   * same job.
   *
   * <p>On the primary replica it also tells the owning member's {@link JobIndexer} about
   * each job it changed, on the partition thread, before the change is acknowledged. That
   * replaces entry listeners, whose events serialised every changed job once more and
   * reached the index later, on another thread.
   *
   * <p>Hazelcast runs one operation per partition with this same processor and sends each
   * partition's backup with {@link #getBackupProcessor()}. A backup processor carrying every
   * step of the batch would be serialised once per partition; it carries only the steps of
   * the keys this thread has just processed (one partition's), found in {@link #TOUCHED}.
   */
  public static final class Batch implements EntryProcessor<JobKey, Job, Object>, HazelcastInstanceAware {

    /** The keys the current partition operation on this thread has processed. */
    private static final class Touched {
      Batch owner;
      boolean sealed;
      final List<JobKey> keys = new ArrayList<>();
    }

    private static final ThreadLocal<Touched> TOUCHED = ThreadLocal.withInitial(Touched::new);

    private final Map<JobKey, EntryProcessor<JobKey, Job, ?>> steps;
    private final boolean primary;
    private transient Consumer<Job> changes;

    public Batch(Map<JobKey, EntryProcessor<JobKey, Job, ?>> steps, boolean primary) {
      this.steps = steps;
      this.primary = primary;
    }

    public Map<JobKey, EntryProcessor<JobKey, Job, ?>> steps() {
      return steps;
    }

    public boolean primary() {
      return primary;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setHazelcastInstance(HazelcastInstance instance) {
      if (primary) {
        changes = (Consumer<Job>) instance.getUserContext().get(JobIndexer.CHANGES_KEY);
      }
    }

    @Override
    public Object process(Map.Entry<JobKey, Job> entry) {
      EntryProcessor<JobKey, Job, ?> step = steps.get(entry.getKey());
      if (step == null) {
        return null;
      }
      if (primary) {
        Touched touched = TOUCHED.get();
        if (touched.owner != this || touched.sealed) {
          touched.owner = this;
          touched.sealed = false;
          touched.keys.clear();
        }
        touched.keys.add(entry.getKey());
      }
      Job before = entry.getValue();
      Object result = step.process(entry);
      Job after = entry.getValue();
      Consumer<Job> listener = changes;
      if (listener != null && after != null && after != before) {
        listener.accept(after);
      }
      return result;
    }

    @Override
    public EntryProcessor<JobKey, Job, Object> getBackupProcessor() {
      Touched touched = TOUCHED.get();
      if (touched.owner != this) {
        return new Batch(steps, false);
      }
      touched.sealed = true;
      Map<JobKey, EntryProcessor<JobKey, Job, ?>> mine = new HashMap<>(touched.keys.size() * 2);
      for (JobKey k : touched.keys) {
        mine.put(k, steps.get(k));
      }
      return new Batch(mine, false);
    }
  }
}
