package dev.ferry.coordinator.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.MultiMapConfig.ValueCollectionType;
import com.hazelcast.config.SplitBrainProtectionConfig;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.coordinator.audit.HazelcastLedger;
import dev.ferry.coordinator.audit.LedgerMergePolicy;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.history.PinStore;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TagRecords;
import dev.ferry.coordinator.job.JobSerialization;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.pull.PullCounts;
import dev.ferry.coordinator.run.RunStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;

/** The Hazelcast member configuration Ferry runs with. */
public final class HazelcastConfigs {

    static final String QUORUM = "ferry-majority";

    private HazelcastConfigs() {}

    public static Config member(ClusterSettings s) {
        Config config = new Config();
        config.setClusterName(s.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        JobSerialization.register(config.getSerializationConfig());
        config.getNetworkConfig().setPort(s.port() == 0 ? freePort() : s.port()).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(s.host());
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (s.usesKubernetesDns()) {
            // Hazelcast's built-in Kubernetes discovery in DNS-lookup mode: no API access, no RBAC.
            int port = config.getNetworkConfig().getPort();
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig()
                    .setEnabled(true)
                    .setProperty("service-dns", s.kubernetesServiceDns())
                    .setProperty("service-port", String.valueOf(port));
        } else {
            join.getTcpIpConfig().setEnabled(true);
            s.members().forEach(m -> join.getTcpIpConfig().addMember(m));
        }

        MapConfig jobs = new MapConfig(JobStore.MAP_NAME)
                .setBackupCount(1)
                .setAsyncBackupCount(0)
                // No index: with one, every entry processor clones the job before changing it.
                .setInMemoryFormat(InMemoryFormat.OBJECT);
        MapConfig runs = new MapConfig(RunStore.RUNS_MAP).setBackupCount(1);
        MapConfig policies = new MapConfig(RunStore.POLICIES_MAP).setBackupCount(1);
        MapConfig history = new MapConfig(TagHistory.MAP_NAME).setBackupCount(1);
        MapConfig pins = new MapConfig(PinStore.MAP_NAME).setBackupCount(1);
        MapConfig drift = new MapConfig(DriftService.MAP_NAME).setBackupCount(1);
        // What plans and drift checks saw at target tags; a lost entry costs one HEAD, so no quorum.
        // Kept for the longest recheck period (a sighting older than its target's recheck is
        // trusted for nothing), then dropped, so the map does not grow with every tag ever seen.
        MapConfig seenTags = new MapConfig(TagRecords.MAP_NAME)
                .setBackupCount(1)
                .setTimeToLiveSeconds((int) TargetSpec.MAX_RECHECK.toSeconds());
        MapConfig ledger = new MapConfig(HazelcastLedger.MAP_NAME).setBackupCount(1);
        // After a split, keep both sides' entries: the default (put-if-absent) keeps one side's
        // copy of a segment and drops what the other side had acknowledged.
        ledger.getMergePolicyConfig().setPolicy(LedgerMergePolicy.class.getName());
        if (s.expectedSize() > 1) {
            // A minority side of a split must not lease or plan: it may not see the majority's leases.
            int majority = s.expectedSize() / 2 + 1;
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(QUORUM, true, majority));
            jobs.setSplitBrainProtectionName(QUORUM);
            runs.setSplitBrainProtectionName(QUORUM);
            policies.setSplitBrainProtectionName(QUORUM);
            history.setSplitBrainProtectionName(QUORUM);
            pins.setSplitBrainProtectionName(QUORUM);
            // Nor append to the audit chain. This is not enough on its own: a member appends before
            // it notices a split, and a side that holds no copy of the last segment starts it anew
            // once merging members have joined but before their data arrives; LedgerMergePolicy
            // keeps both sides' entries then.
            ledger.setSplitBrainProtectionName(QUORUM);
        }
        config.addMapConfig(jobs)
                .addMapConfig(runs)
                .addMapConfig(policies)
                .addMapConfig(history)
                .addMapConfig(pins)
                .addMapConfig(drift)
                .addMapConfig(seenTags)
                .addMapConfig(ledger)
                .addMapConfig(PullCounts.mapConfig());
        // What the Vert.x cluster manager keeps in the same member (as its default config has it).
        config.addMultiMapConfig(
                new MultiMapConfig("__vertx.subs").setBackupCount(1).setValueCollectionType(ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        // The cluster manager finds its node id here when it is handed an existing member.
        config.getMemberAttributeConfig()
                .setAttribute("__vertx.nodeId", UUID.randomUUID().toString());
        return config;
    }

    /**
     * Partitions of a standalone member. Any count is correct for one member (jobs of one
     * repository and tier still share a partition); a few dozen keep the two partition threads
     * busy while costing far less to set up than the default 271.
     */
    static final int STANDALONE_PARTITIONS = 31;

    /**
     * The member of {@code ferry standalone}: the configuration of {@link #member} for a cluster
     * of one that nobody joins, trimmed for a fast start. No discovery at all (no TCP-IP or
     * multicast join: the member is its own master at once), fewer partitions, and one thread
     * where Hazelcast would start several for peers it will never have (I/O, generic
     * operations, events). No health monitor thread.
     */
    public static Config standalone(String clusterName) {
        Config config = member(ClusterSettings.standalone(clusterName));
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getTcpIpConfig().setEnabled(false);
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        config.setProperty("hazelcast.partition.count", Integer.toString(STANDALONE_PARTITIONS));
        config.setProperty("hazelcast.io.thread.count", "1");
        config.setProperty("hazelcast.operation.generic.thread.count", "1");
        config.setProperty("hazelcast.event.thread.count", "1");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        return config;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the Hazelcast member", e);
        }
    }
}
