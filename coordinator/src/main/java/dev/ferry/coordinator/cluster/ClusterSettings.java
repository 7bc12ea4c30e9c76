package dev.ferry.coordinator.cluster;

import java.util.List;

/**
 * How a coordinator member joins its cluster.
 *
 * @param port the member port; 0 picks a free one (tests)
 * @param members other members as host:port (TCP-IP discovery; multicast is always off)
 * @param expectedSize the cluster size the operator plans; a side of a split with fewer than
 *     a majority of it stops changing jobs. 1 for standalone.
 * @param kubernetesServiceDns when set, members are found by resolving this DNS name (a headless
 *     Service, e.g. {@code ferry-coordinator.ferry.svc.cluster.local}) instead of the member list;
 *     each address it resolves to is tried on {@code port}
 */
public record ClusterSettings(
        String clusterName,
        String host,
        int port,
        List<String> members,
        int expectedSize,
        String kubernetesServiceDns) {

    public ClusterSettings(String clusterName, String host, int port, List<String> members, int expectedSize) {
        this(clusterName, host, port, members, expectedSize, null);
    }

    public static ClusterSettings standalone(String clusterName) {
        return new ClusterSettings(clusterName, "127.0.0.1", 0, List.of(), 1);
    }

    public boolean usesKubernetesDns() {
        return kubernetesServiceDns != null && !kubernetesServiceDns.isBlank();
    }
}
