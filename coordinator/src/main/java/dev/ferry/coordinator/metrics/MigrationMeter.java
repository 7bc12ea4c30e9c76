package dev.ferry.coordinator.metrics;

import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;

/** Counts the partition replica migrations this member sees; many of them mean a cluster in flux. */
public final class MigrationMeter implements MigrationListener {

    private final FerryMetrics metrics;

    public MigrationMeter(FerryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void migrationStarted(MigrationState state) {
        // Counted per replica below.
    }

    @Override
    public void migrationFinished(MigrationState state) {
        // Counted per replica below.
    }

    @Override
    public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
        metrics.partitionMigration(true);
    }

    @Override
    public void replicaMigrationFailed(ReplicaMigrationEvent event) {
        metrics.partitionMigration(false);
    }
}
