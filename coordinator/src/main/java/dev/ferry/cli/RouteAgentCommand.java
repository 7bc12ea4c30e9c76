package dev.ferry.cli;

import dev.ferry.agent.AgentMetrics;
import dev.ferry.agent.AgentServer;
import dev.ferry.agent.ApiRouteSource;
import dev.ferry.agent.RouteAgent;
import dev.ferry.agent.RouteFiles;
import dev.ferry.agent.RouteStatus;
import dev.ferry.coordinator.metrics.FerryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry route-agent}: keeps a node's containerd and containers registry files on its routes. */
@Command(
        name = "route-agent",
        mixinStandardHelpOptions = true,
        description = {
            "Follows routes over the control API (long polls) and keeps this node's runtime files on them:",
            "containerd's <containerd-dir>/<upstream host>/hosts.toml and the containers drop-in",
            "<registries-dir>/ferry-<route>.conf. A file is replaced atomically, and only when it changes; when the",
            "API cannot be reached the files written before stay."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:--once: every route's files hold its current answer",
            "1:--once: a route could not be" + " fetched or written (its old files stay)",
            "2:usage error (URL, token file, flag)"
        })
final class RouteAgentCommand implements Callable<Integer> {

    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080",
            description = "a coordinator's API (default: ${DEFAULT-VALUE})")
    String server;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "a file holding the API token (viewer role is enough); read again for every request")
    Path tokenFile;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust for an https server (default: the JVM's trust store)")
    Path caFile;

    @Option(
            names = "--route",
            required = true,
            split = ",",
            paramLabel = "NAME",
            description =
                    "a route to follow; repeat or separate with commas for several (their upstream hosts must differ)")
    List<String> routes;

    @Option(
            names = "--containerd-dir",
            paramLabel = "DIR",
            defaultValue = "/etc/containerd/certs.d",
            description = "containerd's hosts directory (config_path) (default: ${DEFAULT-VALUE})")
    Path containerdDir;

    @Option(
            names = "--registries-dir",
            paramLabel = "DIR",
            defaultValue = "/etc/containers/registries.conf.d",
            description = "the containers registries.conf drop-in directory (default: ${DEFAULT-VALUE})")
    Path registriesDir;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "how long each long poll may be held, 1 to 300 (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Option(
            names = "--metrics",
            paramLabel = "HOST:PORT",
            description = "serve GET /metrics (Prometheus), /health/live and /health/ready here (default: off)")
    String metricsAddress;

    @Option(names = "--once", description = "fetch every route once, write what changed, and exit")
    boolean once;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            ApiRouteSource.checkServer(server);
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException(e.getMessage());
        }
        if (waitSeconds < 1 || waitSeconds > 300) {
            throw new ExitCodes.UsageException("--wait must be 1 to 300 seconds, not " + waitSeconds);
        }
        if (routes.stream().anyMatch(String::isBlank)) {
            throw new ExitCodes.UsageException("--route must name a route, not be empty");
        }
        Supplier<String> token = null;
        if (tokenFile != null) {
            SecretFiles.read(tokenFile, "--token-file");
            token = () -> SecretFiles.read(tokenFile, "--token-file");
        }
        String[] hostPort = metricsAddress == null ? null : Addresses.hostPort(metricsAddress, "--metrics");
        ApiRouteSource source = new ApiRouteSource(server, token, caFile == null ? null : PemTrust.sslContext(caFile));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RouteAgent agent = new RouteAgent(
                routes,
                source,
                new RouteFiles(containerdDir, registriesDir),
                new AgentMetrics(registry),
                Clock.systemUTC());
        return once ? once(agent) : follow(agent, registry, hostPort);
    }

    private int once(RouteAgent agent) throws InterruptedException {
        int exit = ExitCodes.OK;
        for (RouteStatus.Snapshot s : agent.once()) {
            if (s.lastError() != null) {
                spec.commandLine()
                        .getErr()
                        .println("ferry route-agent: " + s.lastError() + " (files left as they were)");
                exit = ExitCodes.FAILED;
            } else {
                boolean wrote = s.lastWrite() != null && s.lastWrite().equals(s.lastSuccess());
                spec.commandLine()
                        .getOut()
                        .println("route " + s.route() + ": active " + (s.active() == null ? "none" : s.active()) + "; "
                                + (wrote ? "wrote " : "already current: ") + String.join(", ", s.files()));
            }
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return exit;
    }

    private int follow(RouteAgent agent, PrometheusMeterRegistry registry, String[] hostPort) throws Exception {
        Vertx vertx = null;
        if (hostPort != null) {
            vertx = Vertx.vertx();
            FerryMetrics.bindJvm(registry);
            AgentServer.start(vertx, registry, agent::statuses, hostPort[0], Integer.parseInt(hostPort[1]))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        agent.start(Duration.ofSeconds(waitSeconds));
        StatusLines.to(spec.commandLine().getErr())
                .info(
                        "ferry route-agent: following %s from %s; files under %s" + " and %s",
                        String.join(", ", routes), server, containerdDir, registriesDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Vertx serverVertx = vertx;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                agent.stop(Duration.ofSeconds(10));
                                if (serverVertx != null) {
                                    serverVertx
                                            .close()
                                            .toCompletionStage()
                                            .toCompletableFuture()
                                            .get(10, TimeUnit.SECONDS);
                                }
                            } catch (Exception e) {
                                // Exiting anyway.
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "ferry-route-agent-stop"));
        agent.awaitStopped();
        stopped.await();
        return ExitCodes.OK;
    }
}
