package dev.ferry.loadtests.scenario;

import dev.ferry.loadtests.gen.WorkloadPlan;
import dev.ferry.loadtests.gen.WorkloadSpec;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One source to three target registries: one policy with three targets, synced warm over the
 * API; the peer is three {@code skopeo sync} runs, one per target, one after the other.
 */
final class FanOutScenario {

    private static final int TARGETS = 3;

    private final WorkloadSpec spec;

    FanOutScenario(WorkloadSpec spec) {
        this.spec = spec;
    }

    Report run(Setup setup, Vertx vertx, int runs) throws Exception {
        Report report = new Report("fan-out")
                .workload("spec", spec)
                .workload("targets", TARGETS)
                .workload("runs", runs)
                .workload("ferryConcurrency", setup.concurrency());
        Path work = setup.freshWork("fan-out");
        try (LocalRegistry src = LocalRegistry.start(work.resolve("source"));
                Targets ferryTargets = Targets.start(work, "ferry-target", TARGETS * runs);
                Targets skopeoTargets = Targets.start(work, "skopeo-target", TARGETS * runs)) {
            double mib = Seeder.seed(vertx, src.host(), spec, report) * TARGETS;
            List<String> repositories = new ArrayList<>();
            for (int r = 0; r < spec.repositories(); r++) {
                repositories.add(WorkloadPlan.repository(spec, r));
            }
            // Run i uses targets 3i-2..3i of each tool: fresh registries for every timed copy.
            StringBuilder schedule = new StringBuilder(Schedules.registries(src.host(), ferryTargets.hosts()));
            for (int i = 1; i <= runs; i++) {
                List<Integer> mine = List.of(TARGETS * i - 2, TARGETS * i - 1, TARGETS * i);
                schedule.append(Schedules.policy("fan-" + i, spec.prefix() + "/*", mine, "fan/", "{ manual: true }"));
            }
            Path file = Schedules.write(work.resolve("warm.yaml"), schedule.toString());
            try (FerryStandalone ferry =
                    FerryStandalone.start(setup, file, work.resolve("data"), work.resolve("ferry.log"))) {
                for (int i = 1; i <= runs; i++) {
                    FerryStandalone.Sync s = ferry.sync("fan-" + i);
                    report.row("fan-out", "ferry warm", i, s.seconds(), mib, s.state() + " " + s.counts());
                    double seconds = 0;
                    for (int t = TARGETS * i - 2; t <= TARGETS * i; t++) {
                        seconds += Skopeo.sync(
                                src.host(), repositories, skopeoTargets.get(t).host() + "/skopeo", work, i + "-" + t);
                    }
                    report.row("fan-out", "skopeo x3", i, seconds, mib, "one target after the other");
                }
            }
            String last = repositories.get(repositories.size() - 1);
            StringBuilder counts = new StringBuilder();
            for (int t = 1; t <= TARGETS; t++) {
                counts.append(Tags.count(ferryTargets.get(t).host(), "fan/" + last))
                        .append(' ');
            }
            report.figure(
                    "tags of fan/" + last + " on each target of run 1 (expected " + spec.tags() + ")",
                    counts.toString().trim());
        }
        double warm = report.median("fan-out", "ferry warm");
        double skopeo = report.median("fan-out", "skopeo x3");
        report.figure("ratio skopeo x3/ferry warm", PeerScenario.round(skopeo / warm));
        return report;
    }
}
