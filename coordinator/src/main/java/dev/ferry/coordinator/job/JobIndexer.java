package dev.ferry.coordinator.job;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import dev.ferry.coordinator.lease.ReadyIndex;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps a member's {@link ReadyIndex} in step with the jobs it owns: local entry events for
 * changes, and a rebuild from the owned keys whenever partitions have migrated (a member
 * joined or left), so jobs that moved here are found and jobs that moved away are dropped.
 */
public final class JobIndexer implements EntryAddedListener<JobKey, Job>, EntryUpdatedListener<JobKey, Job>,
    EntryRemovedListener<JobKey, Job>, EntryEvictedListener<JobKey, Job>, EntryExpiredListener<JobKey, Job>,
    MigrationListener {

  private final IMap<JobKey, Job> map;
  private final ReadyIndex index;
  /** Rebuilds run here, not on Hazelcast's event threads, which must not block. */
  private final java.util.concurrent.ExecutorService rebuilder =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ferry-index-rebuild");
        t.setDaemon(true);
        return t;
      });
  private UUID listener;

  public JobIndexer(IMap<JobKey, Job> map, ReadyIndex index) {
    this.map = map;
    this.index = index;
  }

  /** Registers the listeners and indexes what this member owns now. Blocking: call off the event loop. */
  public void start() {
    listener = map.addLocalEntryListener(this, com.hazelcast.query.Predicates.alwaysTrue(), true);
    rebuild();
  }

  public void stop() {
    if (listener != null) {
      map.removeEntryListener(listener);
    }
    rebuilder.shutdownNow();
  }

  /** Re-reads every job this member owns. Blocking. */
  public void rebuild() {
    Map<JobKey, Job> owned = map.getAll(map.localKeySet());
    synchronized (index) {
      index.clear();
      owned.values().forEach(index::onJob);
    }
  }

  @Override
  public void entryAdded(EntryEvent<JobKey, Job> event) {
    index.onJob(event.getValue());
  }

  @Override
  public void entryUpdated(EntryEvent<JobKey, Job> event) {
    index.onJob(event.getValue());
  }

  @Override
  public void entryRemoved(EntryEvent<JobKey, Job> event) {
    index.onRemoved(event.getKey());
  }

  @Override
  public void entryEvicted(EntryEvent<JobKey, Job> event) {
    index.onRemoved(event.getKey());
  }

  @Override
  public void entryExpired(EntryEvent<JobKey, Job> event) {
    index.onRemoved(event.getKey());
  }

  @Override
  public void migrationStarted(MigrationState state) {
    // Nothing to do until the partitions have settled.
  }

  @Override
  public void migrationFinished(MigrationState state) {
    rebuilder.execute(this::rebuild);
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
