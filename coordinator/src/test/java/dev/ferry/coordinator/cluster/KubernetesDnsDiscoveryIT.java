package dev.ferry.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.MigrationMeter;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real Hazelcast members find each other through the Kubernetes DNS-lookup discovery, as they do
 * behind a headless Service: here the "service" name is {@code localhost}, which resolves to
 * 127.0.0.1. In a pod every member has its own address and the same port; on one machine the
 * second member needs another port, so its service port is pointed at the first member's. It has
 * no member list: it can only have found the first through the DNS answer.
 */
class KubernetesDnsDiscoveryIT {

    private final List<HazelcastInstance> members = new ArrayList<>();

    @AfterEach
    void stop() {
        members.forEach(HazelcastInstance::shutdown);
    }

    private HazelcastInstance start(String cluster, int port, int servicePort) {
        Config config =
                HazelcastConfigs.member(new ClusterSettings(cluster, "127.0.0.1", port, List.of(), 2, "localhost"));
        config.getNetworkConfig().getJoin().getKubernetesConfig().setProperty("service-port", "" + servicePort);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return member;
    }

    @Test
    void aMemberWithoutAMemberListJoinsTheOneItsServiceNameResolvesTo() throws IOException {
        String cluster = "ferry-dns-" + UUID.randomUUID();
        int port = freePort();
        HazelcastInstance first = start(cluster, port, port);
        FerryMetrics metrics = FerryMetrics.prometheus();
        first.getPartitionService().addMigrationListener(new MigrationMeter(metrics));
        first.getMap("assigns-the-partitions").put("k", "v");
        HazelcastInstance second = start(cluster, freePort(), port);

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(first.getCluster().getMembers()).hasSize(2);
            assertThat(second.getCluster().getMembers()).hasSize(2);
        });
        // The join moved partitions to the new member, and the counter saw them.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        metrics.scrape().contains("ferry_cluster_partition_migrations_total{outcome=\"completed\"}"));
        assertThat(second.getCluster().getMembers())
                .extracting(m -> m.getAddress().getPort())
                .contains(port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDnsSettingReplacesTheMemberList() {
        Config config = HazelcastConfigs.member(
                new ClusterSettings("c", "127.0.0.1", 5701, List.of(), 3, "ferry-coordinator.ferry.svc.cluster.local"));
        var join = config.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns"))
                .isEqualTo("ferry-coordinator.ferry.svc.cluster.local");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    }
}
