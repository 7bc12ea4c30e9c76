package dev.ferry.cli;

import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.VertxMeters;
import dev.ferry.worker.lease.CoordinatorTls;
import dev.ferry.worker.lease.LeaseClient;
import dev.ferry.worker.lease.WorkerLoop;
import dev.ferry.worker.lease.WorkerOptions;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry worker}: leases jobs from a coordinator and copies them until SIGTERM, then drains. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Leases replication jobs from a coordinator and runs them until stopped.",
            "On SIGTERM or SIGINT (or GET /drain on --metrics) it stops leasing, gives running copies",
            "--drain-timeout seconds to finish, and hands the rest back to be re-queued."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "1:the worker could not start",
            "2:usage error (URL, token file, flag)",
            "130/143:stopped by SIGINT/SIGTERM, after draining (the JVM's codes for a signal)"
        })
final class WorkerCommand implements Callable<Integer> {

    /** How long after the drain's grace the hand-back may take before the JVM exits anyway. */
    static final int HAND_BACK_SECONDS = 15;

    @Option(
            names = "--coordinator",
            required = true,
            paramLabel = "URL",
            description = "any coordinator's API, http://HOST:PORT or https://HOST:PORT")
    String coordinator;

    @Option(names = "--region", required = true, paramLabel = "R", description = "the region this worker runs in")
    String region;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "" + WorkerOptions.DEFAULT_CONCURRENCY,
            description = "jobs run at the same time (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--token-file", paramLabel = "F", description = "a file holding the worker's bearer token")
    Path tokenFile;

    @Option(
            names = "--ca-file",
            paramLabel = "F",
            description = "PEM CA certificate(s) to trust for an https coordinator (default: the JVM's trust store)")
    Path caFile;

    @Option(names = "--cert", paramLabel = "F", description = "PEM client certificate, for a coordinator with mTLS")
    Path certFile;

    @Option(names = "--key", paramLabel = "F", description = "PEM key of the --cert client certificate")
    Path keyFile;

    @Option(names = "--id", paramLabel = "ID", description = "the worker's id (default: hostname and a random suffix)")
    String id;

    @Option(
            names = "--metrics",
            paramLabel = "HOST:PORT",
            description = "serve GET /metrics (Prometheus), GET /health/live, /health/ready and /drain here "
                    + "(default: off)")
    String metricsAddress;

    @Option(
            names = "--drain-timeout",
            paramLabel = "SECONDS",
            defaultValue = "${env:FERRY_DRAIN_TIMEOUT:-30}",
            description = "on SIGTERM, how long running copies may take before they are handed back "
                    + "(env FERRY_DRAIN_TIMEOUT; default: ${DEFAULT-VALUE})")
    int drainSeconds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String url = usage(() -> LeaseClient.parseBaseUrl(coordinator));
        String workerId = id != null ? id : defaultId();
        WorkerOptions options = usage(() -> WorkerOptions.of(workerId, region, concurrency));
        String token = tokenFile == null ? null : readToken(tokenFile);
        CoordinatorTls tls = usage(() -> new CoordinatorTls(
                readable(caFile, "--ca-file"), readable(certFile, "--cert"), readable(keyFile, "--key"), true));

        if (drainSeconds < 0) {
            throw new ExitCodes.UsageException("--drain-timeout must be 0 or more seconds, not " + drainSeconds);
        }
        Duration grace = Duration.ofSeconds(drainSeconds);
        String[] hostPort = metricsAddress == null ? null : Addresses.hostPort(metricsAddress, "--metrics");
        PrometheusMeterRegistry registry =
                metricsAddress == null ? null : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx =
                registry == null ? Vertx.vertx() : VertxMeters.builder(registry).build();
        LeaseClient client = new LeaseClient(vertx, url, token, tls);
        WorkerLoop loop =
                new WorkerLoop(vertx, client, options, registry == null ? new CompositeMeterRegistry() : registry);
        if (registry != null) {
            FerryMetrics.bindJvm(registry);
            MetricsServer.start(vertx, registry, loop, grace, hostPort[0], Integer.parseInt(hostPort[1]))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        CountDownLatch drained = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> drainAndClose(vertx, client, loop, grace, drained), "ferry-worker-drain"));
        loop.start().toCompletionStage().toCompletableFuture().get();
        StatusLines.to(spec.commandLine().getErr())
                .info("ferry worker %s: region %s, %d slots, coordinator %s", workerId, region, concurrency, url);
        drained.await();
        return ExitCodes.OK;
    }

    private void drainAndClose(
            Vertx vertx, LeaseClient client, WorkerLoop loop, Duration grace, CountDownLatch drained) {
        StatusLines err = StatusLines.to(spec.commandLine().getErr());
        try {
            loop.drain(grace)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(grace.toSeconds() + HAND_BACK_SECONDS, TimeUnit.SECONDS);
            err.info("ferry worker: drained %s", loop.status());
        } catch (Exception e) {
            err.error("ferry worker: drain did not finish: " + Errors.describe(e));
        } finally {
            try {
                loop.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                client.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                err.error("ferry worker: shutdown: " + Errors.describe(e));
            }
            drained.countDown();
        }
    }

    private static String readToken(Path file) {
        return SecretFiles.read(file, "the token file");
    }

    private static Path readable(Path file, String flag) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new ExitCodes.UsageException(
                    flag + ": cannot read " + file + " (it must be a readable regular file)");
        }
        return file;
    }

    private static String defaultId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "worker";
            }
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    private static <T> T usage(Callable<T> parse) throws Exception {
        try {
            return parse.call();
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException(e.getMessage());
        }
    }
}
