package dev.ferry.cli;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.CoordinatorNode;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.VertxMeters;
import dev.ferry.coordinator.security.ApiSecurity;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry coordinator}: one member of a coordinator cluster, serving the control API. */
@Command(
        name = "coordinator",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one coordinator member: it joins the cluster (a --members list or Kubernetes DNS;",
            "never multicast), plans policies, leases jobs to workers and serves the control API.",
            "Workers run separately (ferry worker)."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped cleanly", "2:usage or schedule error"})
final class CoordinatorCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the schedule file")
    Path config;

    @Option(
            names = "--api",
            paramLabel = "HOST:PORT",
            description = "control API address (default: the schedule's api.listen, 127.0.0.1:8080). Beyond loopback "
                    + "only with api.tokens")
    String api;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "./ferry-data",
            description = "where this member keeps its files (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(
            names = "--cluster-host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "the address this member binds and announces (default: ${DEFAULT-VALUE})")
    String clusterHost;

    @Option(
            names = "--cluster-port",
            paramLabel = "PORT",
            defaultValue = "5701",
            description = "the member port (default: ${DEFAULT-VALUE})")
    int clusterPort;

    @Option(
            names = "--members",
            paramLabel = "HOST:PORT",
            split = ",",
            description = "the cluster's members (this one may be listed too)")
    List<String> members = new ArrayList<>();

    @Option(
            names = "--cluster-name",
            paramLabel = "NAME",
            description = "members join only a cluster of the same name (default: the schedule's cluster.name, "
                    + "else ferry)")
    String clusterName;

    @Option(
            names = "--kubernetes-service-dns",
            paramLabel = "NAME",
            defaultValue = "${env:FERRY_HAZELCAST_KUBERNETES_SERVICE_DNS}",
            description = "find members by resolving this headless Service's DNS name instead of --members "
                    + "(env FERRY_HAZELCAST_KUBERNETES_SERVICE_DNS); needs --cluster-size")
    String kubernetesServiceDns;

    @Option(
            names = "--cluster-size",
            paramLabel = "N",
            defaultValue = "${env:FERRY_CLUSTER_SIZE}",
            description = "the number of members planned (env FERRY_CLUSTER_SIZE; default: the --members list "
                    + "plus this member)")
    Integer clusterSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Schedule schedule;
        try {
            schedule = ScheduleLoader.load(config);
        } catch (ConfigException e) {
            StatusLines errors = StatusLines.to(spec.commandLine().getErr());
            e.problems().stream().map(ConfigProblem::toString).forEach(errors::error);
            return ExitCodes.USAGE;
        }
        String[] hostPort =
                Addresses.hostPort(api != null ? api : schedule.api().listen(), "--api");
        ApiSecurity security = ApiSecurities.load(schedule, hostPort, null);
        members.forEach(m -> Addresses.hostPort(m, "--members"));
        Set<String> all = new LinkedHashSet<>(members);
        all.add(clusterHost + ":" + clusterPort);
        boolean dns = kubernetesServiceDns != null && !kubernetesServiceDns.isBlank();
        if (dns && !members.isEmpty()) {
            throw new ExitCodes.UsageException(
                    "--members and --kubernetes-service-dns exclude each other: pick one way" + " to find the members");
        }
        if (dns && clusterSize == null) {
            throw new ExitCodes.UsageException("--kubernetes-service-dns needs --cluster-size (or FERRY_CLUSTER_SIZE):"
                    + " the majority a member waits for is counted from it");
        }
        if (clusterSize != null && clusterSize < 1) {
            throw new ExitCodes.UsageException("--cluster-size must be 1 or more, not " + clusterSize);
        }
        int size = clusterSize != null ? clusterSize : all.size();
        Files.createDirectories(dataDir);

        String name = clusterName != null ? clusterName : schedule.cluster().name();
        HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(
                new ClusterSettings(name, clusterHost, clusterPort, members, size, dns ? kubernetesServiceDns : null)));
        int majority = size / 2 + 1;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (hazelcast.getCluster().getMembers().size() < majority) {
            if (System.nanoTime() > deadline) {
                hazelcast.shutdown();
                throw new IllegalStateException("no majority of the " + size + " members "
                        + (dns ? "behind " + kubernetesServiceDns : all)
                        + " joined within 10 minutes; check the member addresses and the network between them");
            }
            StatusLines.to(spec.commandLine().getErr())
                    .info(
                            "waiting for a majority of the cluster: %d of %d members" + " joined",
                            hazelcast.getCluster().getMembers().size(), majority);
            Thread.sleep(2000);
        }
        FerryMetrics metrics = FerryMetrics.prometheusWithoutJvm();
        Vertx vertx = VertxMeters.builder(metrics.registry())
                .withClusterManager(new HazelcastClusterManager(hazelcast))
                .buildClustered()
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        // After Vert.x has configured its meter filters: they must exist before any meter.
        FerryMetrics.bindJvm(metrics.registry());
        CoordinatorNode node = CoordinatorNode.start(
                        vertx, hazelcast, schedule, dataDir, security, config, Clock.systemUTC(), metrics)
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        node.armTriggers();
        StatusLines.to(spec.commandLine().getOut())
                .info(
                        "ferry coordinator: member %s:%d of cluster %s (%d expected)," + " API on %s",
                        clusterHost, clusterPort, name, size, ApiSecurities.url(security, hostPort[0], node.apiPort()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                node.stop()
                                        .toCompletionStage()
                                        .toCompletableFuture()
                                        .get(30, TimeUnit.SECONDS);
                                vertx.close()
                                        .toCompletionStage()
                                        .toCompletableFuture()
                                        .get(30, TimeUnit.SECONDS);
                            } catch (Exception ignored) {
                                // Stopping anyway.
                            }
                            hazelcast.shutdown();
                            stopped.countDown();
                        },
                        "ferry-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
