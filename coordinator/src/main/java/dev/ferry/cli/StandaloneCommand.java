package dev.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.common.log.StartupTrace;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.CoordinatorNode;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.coordinator.lease.InProcessLeases;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.VertxMeters;
import dev.ferry.coordinator.run.RunViews;
import dev.ferry.coordinator.security.ApiSecurity;
import dev.ferry.worker.lease.WorkerLoop;
import dev.ferry.worker.lease.WorkerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry standalone}: a coordinator (one embedded Hazelcast member), workers and the API in one JVM. */
@Command(
        name = "standalone",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a coordinator, in-process workers and the control API in one JVM.",
            "With --once it reconciles every policy once and exits."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:with --once, every job succeeded (or nothing differed)",
            "1:with --once, a job failed, hit a conflict or was rejected",
            "2:usage or schedule error"
        })
final class StandaloneCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the schedule file")
    Path config;

    @Option(names = "--once", description = "reconcile every policy once, print a summary per policy, and exit")
    boolean once;

    @Option(
            names = "--api",
            paramLabel = "HOST:PORT",
            description = "control API address (default: the schedule's api.listen, 127.0.0.1:8080; with --once no API "
                    + "unless given). Beyond loopback only with api.tokens")
    String api;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "./ferry-data",
            description = "where Ferry keeps its files (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "4",
            description = "jobs copied at the same time by the in-process worker (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StartupTrace.mark("standalone command");
        Optional<Schedule> loaded =
                ScheduleFiles.load(config, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.USAGE;
        }
        StartupTrace.mark("schedule loaded");
        if (concurrency < 1 || concurrency > 256) {
            throw new ExitCodes.UsageException("--concurrency must be between 1 and 256, got " + concurrency);
        }
        // The member needs nothing from the schedule: it starts while Vert.x and the rest start,
        // instead of after them.
        quietSingleMemberStart();
        EarlyMember member = EarlyMember.start(HazelcastConfigs.standalone("ferry-standalone-" + UUID.randomUUID()));
        try {
            return run(loaded.get(), member);
        } finally {
            member.discardUnlessTaken();
        }
    }

    private int run(Schedule schedule, EarlyMember member) throws Exception {
        var out = spec.commandLine().getOut();
        // A one-shot run serves the control API only when asked to: nobody else talks to it, and
        // its worker reaches the coordinator in-process.
        boolean serveApi = !once || api != null;
        String[] hostPort =
                serveApi ? Addresses.hostPort(api != null ? api : schedule.api().listen(), "--api") : null;
        ApiSecurity security = serveApi ? ApiSecurities.load(schedule, hostPort, null) : null;
        Files.createDirectories(dataDir);

        // Without an API nothing could read the metrics: none are kept.
        FerryMetrics metrics = serveApi ? FerryMetrics.prometheusWithoutJvm() : FerryMetrics.none();
        Vertx vertx = serveApi ? VertxMeters.builder(metrics.registry()).build() : Vertx.vertx();
        if (serveApi) {
            // After Vert.x has configured its meter filters: they must exist before any meter.
            FerryMetrics.bindJvm(metrics.registry());
        }
        StartupTrace.mark("vertx started");
        HazelcastInstance hazelcast = member.take();
        StartupTrace.mark("hazelcast member started");
        CoordinatorNode node = null;
        WorkerLoop worker = null;
        CountDownLatch cleanedUp = new CountDownLatch(1);
        try {
            node = await(
                    serveApi
                            ? CoordinatorNode.start(
                                    vertx, hazelcast, schedule, dataDir, security, config, Clock.systemUTC(), metrics)
                            : CoordinatorNode.startWithoutApi(
                                    vertx, hazelcast, schedule, dataDir, Clock.systemUTC(), metrics));
            StartupTrace.mark("coordinator started");
            // The in-process worker calls its coordinator directly: no HTTP, no JSON, no token. Short
            // long polls, so stopping never waits long for one to return.
            WorkerOptions defaults = WorkerOptions.of(
                    "standalone-" + UUID.randomUUID().toString().substring(0, 8), "local", concurrency);
            worker = new WorkerLoop(
                    vertx,
                    new InProcessLeases(vertx, node.leases()),
                    new WorkerOptions(
                            defaults.workerId(),
                            defaults.region(),
                            concurrency,
                            1,
                            defaults.blobConcurrency(),
                            defaults.backoffMin(),
                            defaults.backoffMax()),
                    node.metrics().registry());
            await(worker.start());
            StartupTrace.mark("worker started");
            if (once) {
                return reconcileOnce(node, schedule, out);
            }
            node.armTriggers();
            String url = ApiSecurities.url(security, hostPort[0], node.apiPort());
            StatusLines.to(out)
                    .info(
                            "ferry standalone: %d policies, control API on %s (Ctrl-C to stop)",
                            schedule.policies().size(), url);
            CountDownLatch stopped = new CountDownLatch(1);
            // The hook waits for the clean-up below, so the JVM does not exit before the node has
            // stopped (and signed the audit ledger's head).
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stopped.countDown();
                                try {
                                    cleanedUp.await(60, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "ferry-shutdown"));
            stopped.await();
            return ExitCodes.OK;
        } finally {
            if (worker != null) {
                // After --once every run has ended, so no job is left to drain: stop without waiting
                // for the last long poll to come back.
                awaitQuietly(once ? worker.stop() : worker.drain(Duration.ofSeconds(30)));
            }
            StartupTrace.mark("worker stopped");
            if (node != null) {
                awaitQuietly(node.stop());
            }
            StartupTrace.mark("coordinator stopped");
            if (once) {
                // A member of its own whose data is no longer needed (the node has written its files):
                // no graceful hand-over of partitions to wait for.
                hazelcast.getLifecycleService().terminate();
            } else {
                hazelcast.shutdown();
            }
            StartupTrace.mark("hazelcast stopped");
            awaitQuietly(vertx.close());
            StartupTrace.mark("vertx closed");
            cleanedUp.countDown();
        }
    }

    /**
     * A member with no join method says so with a warning at every start ("No join method is
     * enabled! Starting standalone."); here that is the point, so that logger only reports errors
     * unless the logging configuration names a level for it.
     */
    private static void quietSingleMemberStart() {
        if (LoggerFactory.getLogger("com.hazelcast.instance.impl.Node") instanceof Logger node
                && node.getLevel() == null) {
            node.setLevel(Level.ERROR);
        }
    }

    private static int reconcileOnce(CoordinatorNode node, Schedule schedule, PrintWriter out) throws Exception {
        List<Future<RunViews.Run>> runs = new ArrayList<>();
        for (Policy p : schedule.policies()) {
            runs.add(node.runs().sync(p.name(), true).onSuccess(r -> {
                synchronized (out) {
                    out.println(Summaries.run(r));
                    out.flush();
                }
            }));
        }
        boolean allGood = true;
        for (Future<RunViews.Run> f : runs) {
            try {
                allGood &= "succeeded".equals(await(f).state());
            } catch (Exception e) {
                allGood = false;
                out.println("policy run failed: " + Errors.describe(e));
            }
        }
        out.flush();
        StartupTrace.mark("every run ended");
        StartupTrace.threads();
        return allGood ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(24, TimeUnit.HOURS);
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // Shutting down: nothing more to do about it.
        }
    }
}
