package dev.ferry.loadtests.scenario;

import dev.ferry.loadtests.gen.WorkloadSpec;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chaos soak: source churn (new tags, re-tags, deletes) on several repositories, replicated
 * by a Ferry cluster of separate JVMs (coordinator members and workers) to two targets on an
 * interval trigger, while faults drawn from a seed hit it: workers and members killed with
 * {@code kill -9} and restarted, a target registry stopped and restarted, 429 bursts and
 * corrupted blob bytes from the source (through {@link ChaosProxy}). An {@link InvariantChecker}
 * polls both targets throughout. At the end churn and faults stop, Ferry catches up, and
 * {@link ChaosVerdict} compares, verifies and reports. A failure of Ferry is a finding in the
 * report, never an exception out of here.
 */
final class ChaosScenario {

    static final int INTERVAL_SECONDS = 10;
    private static final long POLL_SECONDS = 3;

    /** What to run: sizes, rates and the seed that draws churn and faults. */
    record Options(
            int durationSeconds,
            long seed,
            double every,
            int repositories,
            int layerBytes,
            int members,
            int workers,
            int catchUpSeconds) {}

    private final Options o;

    ChaosScenario(Options options) {
        this.o = options;
    }

    Report run(Setup setup, Vertx vertx) throws Exception {
        Report report = new Report("chaos")
                .workload("options", o)
                .workload("triggerInterval", INTERVAL_SECONDS + "s")
                .workload("maxTagsPerRepository", Churn.MAX_TAGS);
        Path work = setup.freshWork("chaos");
        List<String> repositories = new ArrayList<>();
        for (int i = 1; i <= o.repositories(); i++) {
            repositories.add("chaos/app-" + i);
        }
        SourceHistory history = new SourceHistory();
        LagTracker lags = new LagTracker(List.of("target-1", "target-2"));
        InvariantChecker checker = new InvariantChecker(history, lags, System::nanoTime);
        WorkloadSpec spec = new WorkloadSpec("chaos", 1, 1, 1, o.layerBytes(), 0, 0, o.seed());
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        try (LocalRegistry source = LocalRegistry.start(work.resolve("source"));
                LocalRegistry target1 = LocalRegistry.start(work.resolve("target-1"));
                LocalRegistry target2 = LocalRegistry.start(work.resolve("target-2"));
                ChaosProxy proxy = ChaosProxy.start(vertx, source.host());
                Seeder seeder = new Seeder(vertx, source.host(), spec)) {
            List<LocalRegistry> targets = List.of(target1, target2);
            Churn churn = new Churn(
                    seeder,
                    source.host(),
                    repositories,
                    history,
                    lags,
                    o.layerBytes(),
                    o.seed(),
                    o.every(),
                    o.durationSeconds());
            churn.seedEach();
            Path schedule = Files.writeString(work.resolve("chaos.yaml"), schedule(proxy.host(), targets));
            long t0 = System.nanoTime();
            try (FerryCluster cluster =
                    FerryCluster.start(setup, schedule, work, o.members(), o.workers(), setup.concurrency())) {
                report.row(
                        "start",
                        "ferry",
                        1,
                        (System.nanoTime() - t0) / 1e9,
                        0,
                        o.members() + " members, " + o.workers() + " workers ready");
                List<RegistryView> views = List.of(
                        new HttpRegistryView("target-1", target1.host()),
                        new HttpRegistryView("target-2", target2.host()));
                poller.scheduleWithFixedDelay(
                        () -> poll(checker, views, repositories), 0, POLL_SECONDS, TimeUnit.SECONDS);
                List<FaultPlan.Fault> plan =
                        FaultPlan.of(o.seed(), o.durationSeconds(), o.members(), o.workers(), targets.size());
                report.workload("faultsPlanned", plan.size());
                long start = System.nanoTime();
                FaultInjector faults = new FaultInjector(plan, cluster, targets, proxy, start);
                Thread churnThread = new Thread(churn, "chaos-churn");
                Thread faultThread = new Thread(faults, "chaos-faults");
                churnThread.start();
                faultThread.start();
                churnThread.join(TimeUnit.SECONDS.toMillis(o.durationSeconds() + 300L));
                churn.stop();
                faults.stop();
                faultThread.join(TimeUnit.SECONDS.toMillis(300));
                faults.healAll();
                report.row(
                        "churn",
                        "generator",
                        1,
                        (System.nanoTime() - start) / 1e9,
                        seeder.bytesPushed() / 1048576.0,
                        churn.newTags() + " new, " + churn.retags() + " re-tagged, " + churn.deletes() + " deleted");
                new ChaosVerdict(setup, work, report)
                        .conclude(
                                new HttpRegistryView("source", source.host()),
                                views,
                                repositories,
                                cluster,
                                o.catchUpSeconds(),
                                () -> List.of(
                                        new SkopeoView("source", source.host(), work),
                                        new SkopeoView("target-1", target1.host(), work),
                                        new SkopeoView("target-2", target2.host(), work)));
                poller.shutdownNow();
                poller.awaitTermination(30, TimeUnit.SECONDS);
                ChaosFigures.add(report, churn, faults, proxy, checker, lags, history);
            }
        } finally {
            poller.shutdownNow();
            poller.awaitTermination(30, TimeUnit.SECONDS);
        }
        return report;
    }

    private static void poll(InvariantChecker checker, List<RegistryView> views, List<String> repositories) {
        try {
            for (RegistryView view : views) {
                checker.check(view, repositories);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("chaos: a poll of the targets failed, polling on: " + e);
        }
    }

    private static String schedule(String source, List<LocalRegistry> targets) {
        return """
        version: 1
        registries:
          - { name: source, url: "http://%s", insecure: true }
          - { name: target-1, url: "http://%s", insecure: true }
          - { name: target-2, url: "http://%s", insecure: true }
        policies:
          - name: chaos
            source: { registry: source, repositories: ["chaos/*"] }
            targets: [ { registry: target-1 }, { registry: target-2 } ]
            trigger: { interval: %ds }
            propagateDeletes: true
        """.formatted(source, targets.get(0).host(), targets.get(1).host(), INTERVAL_SECONDS);
    }
}
