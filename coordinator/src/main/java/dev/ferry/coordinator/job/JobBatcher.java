package dev.ferry.coordinator.job;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapEntries;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.OperationService;
import dev.ferry.coordinator.hz.HzFutures;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sends the job changes of many callers to the jobs map together (group commit).
 *
 * <p>One {@code submitToKey} per lease, renew or completion costs a member far more in
 * invocation, hand-over between threads and response than the entry processor itself does:
 * on the 2-core benchmark machine a member ran about 2,600 single-key processors a second
 * and several times that in batches. So changes that arrive while a batch is in flight wait
 * for the next one, which goes out as one operation per member, split by partition so that
 * each partition's operation carries only its own jobs' steps ({@link MemberBatch}; what a
 * batch serialises grows linearly with its size). A lone change goes out at once, so an idle
 * coordinator adds no delay.
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
    static final int MAX_IN_FLIGHT = Integer.getInteger(
            "ferry.jobs.batchesInFlight", Math.max(2, Runtime.getRuntime().availableProcessors()));

    static final int MAX_BATCH = 512;

    private record Pending(JobKey key, EntryProcessor<JobKey, Job, ?> step, CompletableFuture<Object> result) {}

    private final IMap<JobKey, Job> map;
    private final SerializationService serialization;
    private final IPartitionService partitions;
    private final OperationService operations;
    private final Vertx vertx;
    /** Where batches that waited for a slot are sent from. */
    private final Context sender;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    /** @param map the jobs map of a Hazelcast member (not a client): batches go through its operation service */
    public JobBatcher(IMap<JobKey, Job> map, Vertx vertx) {
        if (!(map instanceof AbstractDistributedObject<?> proxy)) {
            throw new IllegalArgumentException("the jobs map must be a Hazelcast member's, not a client's: "
                    + map.getClass().getName());
        }
        NodeEngine member = proxy.getNodeEngine();
        this.map = map;
        this.serialization = member.getSerializationService();
        this.partitions = member.getPartitionService();
        this.operations = member.getOperationService();
        this.vertx = vertx;
        this.sender = vertx.getOrCreateContext();
    }

    /** Applies {@code step} to the job at {@code key}; the result arrives on the caller's context. */
    @SuppressWarnings("unchecked")
    public <R> Future<R> submit(JobKey key, EntryProcessor<JobKey, Job, R> step) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Future<R> answer =
                HzFutures.on(vertx.getOrCreateContext(), (CompletableFuture<R>) (CompletableFuture<?>) result);
        synchronized (this) {
            queue.addLast(new Pending(key, step, result));
        }
        drain();
        return answer;
    }

    /**
     * Applies each step to its job, all queued at once so that they travel together (one
     * operation per member, as far as the batch limit and the one-change-per-job rule allow);
     * results in the order of {@code steps}, each on the caller's context.
     */
    @SuppressWarnings("unchecked")
    public <R> List<Future<R>> submitAll(List<Map.Entry<JobKey, ? extends EntryProcessor<JobKey, Job, R>>> steps) {
        Context caller = vertx.getOrCreateContext();
        List<Future<R>> answers = new ArrayList<>(steps.size());
        synchronized (this) {
            for (Map.Entry<JobKey, ? extends EntryProcessor<JobKey, Job, R>> step : steps) {
                CompletableFuture<Object> result = new CompletableFuture<>();
                answers.add(HzFutures.on(caller, (CompletableFuture<R>) (CompletableFuture<?>) result));
                queue.addLast(new Pending(step.getKey(), step.getValue(), result));
            }
        }
        drain();
        return answers;
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

    /**
     * Sends a batch as one operation per member that owns some of its jobs, each carrying only
     * its partitions' keys and steps ({@link MemberBatch}). The batch leaves its slot when every
     * member has answered; each caller learns its own job's result (or its member's failure).
     */
    private void send(Map<JobKey, Pending> batch) {
        Map<Address, MemberBatch> byMember = new LinkedHashMap<>();
        Map<Address, List<Pending>> pendingByMember = new HashMap<>();
        try {
            for (Pending p : batch.values()) {
                Data data = serialization.toData(p.key());
                int partition = partitions.getPartitionId(data);
                Address owner = partitions.getPartitionOwnerOrWait(partition);
                byMember.computeIfAbsent(owner, a -> new MemberBatch(map.getName()))
                        .add(partition, p.key(), data, p.step());
                pendingByMember.computeIfAbsent(owner, a -> new ArrayList<>()).add(p);
            }
        } catch (RuntimeException e) {
            batch.values().forEach(p -> p.result().completeExceptionally(e));
            finished();
            return;
        }
        AtomicInteger unanswered = new AtomicInteger(byMember.size());
        byMember.forEach((owner, part) -> operations
                .<Object>invokeOnPartitionsAsync(MapService.SERVICE_NAME, part, Map.of(owner, part.partitionIds()))
                .whenCompleteAsync(
                        (results, failure) -> {
                            List<Pending> mine = pendingByMember.get(owner);
                            if (failure != null) {
                                mine.forEach(p -> p.result().completeExceptionally(failure));
                            } else {
                                Map<JobKey, Object> byKey = resultsByKey(results);
                                mine.forEach(p -> p.result().complete(byKey.get(p.key())));
                            }
                            if (unanswered.decrementAndGet() == 0) {
                                finished();
                            }
                        },
                        HzFutures.INLINE));
    }

    /** Each partition answers with the non-null results of its steps, serialised, by key. */
    private Map<JobKey, Object> resultsByKey(Map<Integer, Object> results) {
        Map<JobKey, Object> out = new HashMap<>();
        for (Object partitionResult : results.values()) {
            if (partitionResult instanceof MapEntries entries) {
                for (int i = 0; i < entries.size(); i++) {
                    out.put(serialization.toObject(entries.getKey(i)), serialization.toObject(entries.getValue(i)));
                }
            }
        }
        return out;
    }

    private void finished() {
        boolean more;
        synchronized (this) {
            inFlight--;
            more = !queue.isEmpty();
        }
        // This may be a partition thread, which must not start the next batch: the event loop does.
        if (more) {
            sender.runOnContext(v -> drain());
        }
    }

    /**
     * Applies each job's own step, for the jobs of one partition. Deterministic, like every
     * step, so the backup replica, which runs {@link #getBackupProcessor()} on its copy, arrives
     * at the same job.
     *
     * <p>On the primary replica it also tells the owning member's {@link JobIndexer} about
     * each job it changed, on the partition thread, before the change is acknowledged. That
     * replaces entry listeners, whose events serialised every changed job once more and
     * reached the index later, on another thread.
     */
    public static final class Batch implements EntryProcessor<JobKey, Job, Object>, HazelcastInstanceAware {

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
            Job before = entry.getValue();
            Object result = step.process(entry);
            Job after = entry.getValue();
            Consumer<Job> listener = changes;
            if (listener != null && after != null && after != before) {
                listener.accept(after);
            }
            return result;
        }

        /** The same steps (one partition's), without the index notices. */
        @Override
        public EntryProcessor<JobKey, Job, Object> getBackupProcessor() {
            return new Batch(steps, false);
        }
    }
}
