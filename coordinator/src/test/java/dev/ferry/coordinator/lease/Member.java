package dev.ferry.coordinator.lease;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.job.JobIndexer;
import dev.ferry.coordinator.job.JobStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** One real Hazelcast member with Ferry's job store, index and lease service, for tests. */
final class Member implements AutoCloseable {

    final HazelcastInstance hazelcast;
    final JobStore store;
    final ReadyIndex index;
    final JobIndexer indexer;
    final LeaseService leases;

    Member(Vertx vertx, Clock clock, String clusterName, int port, List<String> others) {
        this(vertx, clock, clusterName, port, others, java.util.Map.of());
    }

    /** @param regions the region of each target registry that has one */
    Member(
            Vertx vertx,
            Clock clock,
            String clusterName,
            int port,
            List<String> others,
            java.util.Map<String, String> regions) {
        index = new ReadyIndex(regions::get);
        hazelcast = Hazelcast.newHazelcastInstance(
                HazelcastConfigs.member(new ClusterSettings(clusterName, "127.0.0.1", port, others, 1)));
        store = new JobStore(
                hazelcast,
                vertx,
                clock,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 3),
                Duration.ofMinutes(5));
        indexer = new JobIndexer(hazelcast, store.map(), index);
        indexer.start();
        hazelcast.getPartitionService().addMigrationListener(indexer);
        leases = new LeaseService(
                vertx,
                store,
                index,
                clock,
                LeaseSettings.defaults(),
                dev.ferry.coordinator.metrics.FerryMetrics.none(),
                null,
                registry -> null,
                10_000);
    }

    @Override
    public void close() {
        leases.stop();
        indexer.stop();
        hazelcast.getLifecycleService().terminate();
    }
}
