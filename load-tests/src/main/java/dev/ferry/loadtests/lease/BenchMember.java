package dev.ferry.loadtests.lease;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.job.JobIndexer;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.lease.LeaseService;
import dev.ferry.coordinator.lease.LeaseSettings;
import dev.ferry.coordinator.lease.ReadyIndex;
import dev.ferry.coordinator.lease.RemoteLeases;
import dev.ferry.coordinator.metrics.FerryMetrics;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One coordinator member as {@code CoordinatorNode} assembles its lease path: a Hazelcast
 * member with Ferry's configuration, the job store, the ready index fed by the indexer,
 * the lease service with its expiry sweep, and remote leases from the other members. No
 * planner, runs or HTTP API: the benchmark calls the lease service directly.
 */
final class BenchMember {

    final HazelcastInstance hazelcast;
    final JobStore store;
    final ReadyIndex index = new ReadyIndex();
    final JobIndexer indexer;
    final LeaseService leases;

    /** A Hazelcast member with Ferry's configuration; blocks until it has joined (or formed) the cluster. */
    static HazelcastInstance hazelcast(
            String clusterName, int port, List<String> members, int expectedSize, Set<String> experiments) {
        return Hazelcast.newHazelcastInstance(Experiments.apply(
                HazelcastConfigs.member(new ClusterSettings(clusterName, "127.0.0.1", port, members, expectedSize)),
                experiments));
    }

    /** Assembles the lease path on a member of a cluster that has its majority (as CoordinatorCommand waits for). */
    BenchMember(Vertx vertx, HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        Clock clock = Clock.systemUTC();
        // As CoordinatorNode: default backoff, finished jobs retained for an hour.
        store = new JobStore(hazelcast, vertx, clock, Backoff.defaults(), Duration.ofHours(1));
        indexer = new JobIndexer(hazelcast, store.map(), index);
        hazelcast.getPartitionService().addMigrationListener(indexer);
        RemoteLeases remote = new RemoteLeases(hazelcast, vertx);
        leases = new LeaseService(
                vertx,
                store,
                index,
                clock,
                LeaseSettings.defaults(),
                FerryMetrics.none(),
                remote,
                registry -> null,
                10_000);
        remote.register(leases);
    }

    /** Indexes what this member owns and arms the expiry sweep. Blocking. */
    void start() {
        indexer.start();
        leases.start();
    }

    /** Stops leasing and indexing; the Hazelcast member is shut down with its cluster. */
    void stop() {
        leases.stop();
        indexer.stop();
    }
}
