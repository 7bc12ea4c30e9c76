package dev.ferry.loadtests.scenario;

import dev.ferry.loadtests.gen.WorkloadSpec;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU per job of a coordinator and a remote worker: one {@code ferry coordinator} and one
 * {@code ferry worker} process sync the workload into a fresh target registry per sync, the
 * first {@code warmups} untimed (the JIT settles), and each sync's rows note the CPU seconds
 * of both processes ({@code /proc}) and per job. No skopeo here: this measures Ferry's own cost.
 */
final class RemoteCpuScenario {

    private final WorkloadSpec spec;

    RemoteCpuScenario(WorkloadSpec spec) {
        this.spec = spec;
    }

    Report run(Setup setup, Vertx vertx, int runs, int warmups) throws Exception {
        Report report = new Report("remote-cpu")
                .workload("spec", spec)
                .workload("runs", runs)
                .workload("warmups", warmups)
                .workload("ferryConcurrency", setup.concurrency());
        Path work = setup.freshWork("remote-cpu");
        int syncs = warmups + runs;
        int jobs = spec.repositories() * spec.tags();
        try (LocalRegistry src = LocalRegistry.start(work.resolve("source"));
                Targets targets = Targets.start(work, "target", syncs)) {
            double mib = Seeder.seed(vertx, src.host(), spec, report);
            StringBuilder schedule = new StringBuilder(Schedules.registries(src.host(), targets.hosts()));
            for (int i = 1; i <= syncs; i++) {
                schedule.append(
                        Schedules.policy("sync-" + i, spec.prefix() + "/*", List.of(i), "ferry/", "{ manual: true }"));
            }
            Path file = Schedules.write(work.resolve("remote.yaml"), schedule.toString());
            try (FerryRemote ferry = FerryRemote.start(setup, file, work)) {
                for (int i = 1; i <= syncs; i++) {
                    double c0 = ferry.coordinatorCpuSeconds();
                    double w0 = ferry.workerCpuSeconds();
                    FerryStandalone.Sync s = ferry.sync("sync-" + i);
                    double c = ferry.coordinatorCpuSeconds() - c0;
                    double w = ferry.workerCpuSeconds() - w0;
                    report.row(
                            i <= warmups ? "warm-up" : "sync",
                            "ferry remote",
                            i,
                            s.seconds(),
                            mib,
                            s.state() + " " + s.counts()
                                    + String.format(
                                            Locale.ROOT,
                                            "; cpu s: coordinator %.2f (%.1f ms/job), worker %.2f (%.1f ms/job)",
                                            c,
                                            1000 * c / jobs,
                                            w,
                                            1000 * w / jobs));
                }
                String metrics = ferry.metrics();
                report.figure("completion batches", counter(metrics, "ferry_lease_completion_batches_total"));
                report.figure("completions in batches", counter(metrics, "ferry_lease_completions_batched_total"));
            }
        }
        return report;
    }

    /** A counter without labels in Prometheus text; 0 when absent (a coordinator without the batch path). */
    private static long counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+]+)$").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
