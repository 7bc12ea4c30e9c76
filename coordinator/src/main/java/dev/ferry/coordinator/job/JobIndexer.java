package dev.ferry.coordinator.job;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a member's {@link JobChanges} listener (the ready index) in step with the jobs it owns. Every change to a job
 * is a {@link JobBatcher.Batch} run on the job's partition, and on the primary replica it
 * hands the changed job to {@link #onChange} (found in the member's user context under
 * {@link #CHANGES_KEY}). After partitions migrate (a member joined or left) the index is
 * rebuilt from the keys this member owns, so jobs that moved here are found and jobs that
 * moved away are dropped. A rebuild that fails (this member is on the minority side of a split
 * and the job map refuses it) is tried again every {@link #RETRY}; and a rebuild also runs every
 * {@link #RECONCILE}, because jobs that a split-brain merge puts into the map do not pass through
 * a batch, so nothing else would tell the index about them.
 *
 * <p>Finished jobs are not in the index, so their eviction needs no notice.
 */
public final class JobIndexer implements MigrationListener {

    /** The user-context key under which entry processors find this member's indexer. */
    public static final String CHANGES_KEY = "ferry.jobChanges";

    private final HazelcastInstance hazelcast;
    private final IMap<JobKey, Job> map;
    private final JobChanges index;
    static final Duration RETRY = Duration.ofSeconds(2);
    static final Duration RECONCILE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(JobIndexer.class);

    /** Rebuilds run here, not on Hazelcast's event threads, which must not block. */
    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ferry-index-rebuild");
        t.setDaemon(true);
        return t;
    });

    private final AtomicBoolean retryPending = new AtomicBoolean();
    /** Changes seen while a rebuild reads the map, replayed over its snapshot; guarded by index. */
    private List<Job> duringRebuild;

    public JobIndexer(HazelcastInstance hazelcast, IMap<JobKey, Job> map, JobChanges index) {
        this.hazelcast = hazelcast;
        this.map = map;
        this.index = index;
    }

    /** Starts taking changes and indexes what this member owns now. Blocking: call off the event loop. */
    public void start() {
        hazelcast.getUserContext().put(CHANGES_KEY, (Consumer<Job>) this::onChange);
        rebuild();
        rebuilder.scheduleWithFixedDelay(
                this::rebuildOrRetry, RECONCILE.toMillis(), RECONCILE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A rebuild on the rebuild thread; a failure is logged and tried again shortly. */
    private void rebuildOrRetry() {
        try {
            rebuild();
        } catch (RuntimeException e) {
            // One retry pending at most, however many migrations asked for a rebuild meanwhile.
            if (retryPending.compareAndSet(false, true) && !rebuilder.isShutdown()) {
                LOG.warn("job index: rebuild failed ({}); trying again in {} s", e.toString(), RETRY.toSeconds());
                rebuilder.schedule(
                        () -> {
                            retryPending.set(false);
                            rebuildOrRetry();
                        },
                        RETRY.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    public void stop() {
        hazelcast.getUserContext().remove(CHANGES_KEY);
        rebuilder.shutdownNow();
    }

    /** A job this member owns changed; called on its partition thread. */
    void onChange(Job job) {
        synchronized (index) {
            index.onJob(job);
            if (duringRebuild != null) {
                duringRebuild.add(job);
            }
        }
    }

    /**
     * Re-reads every job this member owns. Changes made while the map is read are replayed,
     * in order, over what was read, so none is lost to the snapshot. Blocking.
     */
    public void rebuild() {
        synchronized (index) {
            duringRebuild = new ArrayList<>();
        }
        Map<JobKey, Job> owned;
        try {
            owned = map.getAll(map.localKeySet());
        } catch (RuntimeException e) {
            synchronized (index) {
                duringRebuild = null;
            }
            throw e;
        }
        synchronized (index) {
            index.clear();
            owned.values().forEach(index::onJob);
            duringRebuild.forEach(index::onJob);
            duringRebuild = null;
        }
    }

    @Override
    public void migrationStarted(MigrationState state) {
        // Nothing to do until the partitions have settled.
    }

    @Override
    public void migrationFinished(MigrationState state) {
        rebuilder.execute(this::rebuildOrRetry);
    }

    @Override
    public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
        // The rebuild at the end of the migration covers every replica.
    }

    @Override
    public void replicaMigrationFailed(ReplicaMigrationEvent event) {
        // Likewise.
    }
}
