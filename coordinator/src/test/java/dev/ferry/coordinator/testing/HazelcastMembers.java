package dev.ferry.coordinator.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.testing.FreePort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real Hazelcast members on loopback, each cluster with a random name, all terminated (as a kill
 * would) after each test: the setup of the ITs that check what survives a member's death or a
 * restart. Register it as an instance field:
 * {@code @RegisterExtension final HazelcastMembers members = new HazelcastMembers();}
 */
public final class HazelcastMembers implements AfterEachCallback {

    private final List<HazelcastInstance> started = new ArrayList<>();

    /** A cluster name no other test uses. */
    public static String newCluster() {
        return "ferry-test-" + UUID.randomUUID();
    }

    /** {@code n} member addresses on free loopback ports, {@code 127.0.0.1:PORT}. */
    public static List<String> addresses(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "127.0.0.1:" + FreePort.forListener())
                .toList();
    }

    /** A member of {@code cluster} on {@code port} (0: any), joining {@code members}; not waited for. */
    public HazelcastInstance member(String cluster, int port, List<String> members) {
        HazelcastInstance h = Hazelcast.newHazelcastInstance(
                HazelcastConfigs.member(new ClusterSettings(cluster, "127.0.0.1", port, members, 1)));
        started.add(h);
        return h;
    }

    /**
     * A member as {@code settings} say, with Hazelcast {@code properties} on top (heartbeat and
     * merge timings, socket binding); not waited for.
     */
    public HazelcastInstance member(ClusterSettings settings, Map<String, String> properties) {
        Config config = HazelcastConfigs.member(settings);
        properties.forEach(config::setProperty);
        HazelcastInstance h = Hazelcast.newHazelcastInstance(config);
        started.add(h);
        return h;
    }

    /** A member alone in a cluster of its own. */
    public HazelcastInstance alone() {
        return member(newCluster(), FreePort.forListener(), List.of());
    }

    /**
     * Members of {@code cluster} on the ports of {@code start}, returned once each sees every one of
     * {@code members} and the cluster is safe (every partition backed up).
     */
    public List<HazelcastInstance> joined(String cluster, List<String> start, List<String> members) {
        List<HazelcastInstance> hs = start.stream()
                .map(a -> member(cluster, Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)), members))
                .toList();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> hs.stream()
                        .allMatch(h -> h.getCluster().getMembers().size() == members.size()
                                && h.getPartitionService().isClusterSafe()));
        return hs;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(h -> h.getLifecycleService().terminate());
        started.clear();
    }
}
