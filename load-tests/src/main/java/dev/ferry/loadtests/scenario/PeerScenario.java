package dev.ferry.loadtests.scenario;

import dev.ferry.loadtests.gen.WorkloadPlan;
import dev.ferry.loadtests.gen.WorkloadSpec;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ferry against {@code skopeo sync} on the same content from the same source registry, each
 * timed copy into a fresh target registry of its own (see {@link Targets}), the two tools
 * interleaved run by run. Ferry runs warm (a
 * running standalone, sync over the API, after {@code warmups} untimed syncs of the same
 * content into registries of their own, so the JIT has compiled the copy path as it would have
 * in a long-running deployment) and cold ({@code standalone --once}, JVM start included). With {@code noOp}, the content is copied once first and every timed run finds
 * nothing to do.
 */
final class PeerScenario {

    private final String name;
    private final WorkloadSpec spec;
    private final boolean noOp;
    private final double goal;
    private final boolean curlPipe;

    PeerScenario(String name, WorkloadSpec spec, boolean noOp, double goal) {
        this(name, spec, noOp, goal, false);
    }

    /** @param curlPipe also time {@link CurlPipe}, the physical limit, into fresh registries of its own */
    PeerScenario(String name, WorkloadSpec spec, boolean noOp, double goal, boolean curlPipe) {
        this.name = name;
        this.spec = spec;
        this.noOp = noOp;
        this.goal = goal;
        this.curlPipe = curlPipe;
    }

    Report run(Setup setup, Vertx vertx, int runs, int warmups) throws Exception {
        Report report = new Report(name)
                .workload("spec", spec)
                .workload("runs", runs)
                .workload("warmups", warmups)
                .workload("ferryConcurrency", setup.concurrency());
        Path work = setup.freshWork(name);
        // No-op times copies into targets that already hold everything: one target per tool then.
        int fresh = noOp ? 1 : runs;
        boolean warm = setup.warm();
        if (!warm && noOp) {
            throw new IllegalArgumentException("--warm false is for scenarios that copy (not " + name + ")");
        }
        try (LocalRegistry src = LocalRegistry.start(work.resolve("source"));
                Targets ferryTargets = Targets.start(work, "ferry-target", warm ? fresh : 0);
                Targets skopeoTargets = Targets.start(work, "skopeo-target", fresh);
                Targets coldTargets = Targets.start(work, "cold-target", fresh);
                Targets baselineTargets = Targets.start(work, "baseline-target", setup.baseline() == null ? 0 : fresh);
                Targets warmupTargets = Targets.start(work, "warmup-target", warm ? warmups : 0);
                Targets curlTargets = Targets.start(work, "curl-target", curlPipe && warm ? runs : 0)) {
            double mib = Seeder.seed(vertx, src.host(), spec, report);
            List<String> repositories = new ArrayList<>();
            for (int r = 0; r < spec.repositories(); r++) {
                repositories.add(WorkloadPlan.repository(spec, r));
            }
            String pattern = spec.prefix() + "/*";
            if (!warm) {
                // Cold only: skopeo and each Ferry's cold run, interleaved run by run.
                for (int i = 1; i <= runs; i++) {
                    skopeo(src, skopeoTargets.get(i), repositories, work, i, mib, report);
                    colds(setup, work, src, new Targets[] {coldTargets, baselineTargets}, pattern, i, mib, report);
                }
                check(
                        coldTargets.get(1),
                        "cold/",
                        skopeoTargets.get(1),
                        repositories.get(repositories.size() - 1),
                        report);
                return figures(report, false);
            }
            List<CurlPipe.Blob> blobs = curlPipe ? CurlPipe.blobs(src.host(), repositories) : List.of();
            List<String> ferryHosts = new ArrayList<>(ferryTargets.hosts());
            ferryHosts.addAll(warmupTargets.hosts());
            StringBuilder schedule = new StringBuilder(Schedules.registries(src.host(), ferryHosts));
            for (int i = 1; i <= fresh; i++) {
                schedule.append(Schedules.policy("ferry-" + i, pattern, List.of(i), "ferry/", "{ manual: true }"));
            }
            for (int i = 1; i <= warmups; i++) {
                schedule.append(
                        Schedules.policy("warmup-" + i, pattern, List.of(fresh + i), "ferry/", "{ manual: true }"));
            }
            Path warmSchedule = Schedules.write(work.resolve("warm.yaml"), schedule.toString());
            String step = noOp ? "no-op" : "sync";
            try (FerryStandalone ferry = FerryStandalone.start(
                    setup, warmSchedule, work.resolve("data-warm"), work.resolve("ferry-warm.log"))) {
                for (int i = 1; i <= warmups; i++) {
                    FerryStandalone.Sync w = ferry.sync("warmup-" + i);
                    report.row("warm-up", "ferry warm", i, w.seconds(), mib, w.state() + " " + w.counts());
                }
                if (noOp) {
                    FerryStandalone.Sync first = ferry.sync("ferry-1");
                    report.row("first", "ferry warm", 0, first.seconds(), mib, first.state() + " " + first.counts());
                    report.row(
                            "first",
                            "skopeo",
                            0,
                            Skopeo.sync(
                                    src.host(),
                                    repositories,
                                    skopeoTargets.get(1).host() + "/skopeo",
                                    work,
                                    "0"),
                            mib,
                            "");
                }
                for (int i = 1; i <= runs; i++) {
                    int t = noOp ? 1 : i;
                    LocalRegistry ferryTarget = ferryTargets.get(t);
                    double registries = src.cpuSeconds() + ferryTarget.cpuSeconds();
                    double own = ferry.cpuSeconds();
                    Map<String, Double> requests = ferry.requests();
                    FerryStandalone.Sync s = ferry.sync("ferry-" + t);
                    report.row(
                            step,
                            "ferry warm",
                            i,
                            s.seconds(),
                            noOp ? 0 : mib,
                            s.state() + " " + s.counts() + "; "
                                    + Cpu.note(
                                            "ferry",
                                            ferry.cpuSeconds() - own,
                                            src.cpuSeconds() + ferryTarget.cpuSeconds() - registries)
                                    + "; " + FerryStandalone.requestNote(requests, ferry.requests()));
                    skopeo(src, skopeoTargets.get(t), repositories, work, i, noOp ? 0 : mib, report);
                    if (curlPipe) {
                        LocalRegistry curlTarget = curlTargets.get(i);
                        registries = src.cpuSeconds() + curlTarget.cpuSeconds();
                        own = Cpu.ofWaitedChildren();
                        double piped = CurlPipe.run(blobs, src.host(), curlTarget.host(), "curl/", work);
                        report.row(
                                step,
                                "curl pipe x" + CurlPipe.LANES,
                                i,
                                piped,
                                mib,
                                blobs.size() + " blobs; "
                                        + Cpu.note(
                                                "curl",
                                                Cpu.ofWaitedChildren() - own,
                                                src.cpuSeconds() + curlTarget.cpuSeconds() - registries));
                    }
                }
            }
            for (int i = noOp ? 0 : 1; i <= runs; i++) {
                colds(setup, work, src, new Targets[] {coldTargets, baselineTargets}, pattern, i, mib, report);
            }
            check(
                    ferryTargets.get(1),
                    "ferry/",
                    skopeoTargets.get(1),
                    repositories.get(repositories.size() - 1),
                    report);
        }
        return figures(report, true);
    }

    private Report figures(Report report, boolean warmRuns) {
        double skopeo = report.median(step(), "skopeo");
        double cold = report.median(step(), "ferry cold");
        report.figure("ratio skopeo/ferry cold", round(skopeo / cold));
        report.goal(name + " speed-up vs skopeo (cold)", round(skopeo / cold), 1.2, true, "x");
        if (report.has(step(), "ferry cold (baseline)")) {
            double baseline = report.median(step(), "ferry cold (baseline)");
            report.figure(
                    "median seconds ferry cold (baseline) / ferry cold / skopeo",
                    String.format(Locale.ROOT, "%.2f / %.2f / %.2f", baseline, cold, skopeo));
            report.figure("ratio skopeo/ferry cold (baseline)", round(skopeo / baseline));
        }
        if (!warmRuns) {
            return report;
        }
        double warm = report.median(step(), "ferry warm");
        report.figure(
                "median seconds ferry warm / ferry cold / skopeo",
                String.format(Locale.ROOT, "%.2f / %.2f / %.2f", warm, cold, skopeo));
        report.figure("ratio skopeo/ferry warm", round(skopeo / warm));
        report.goal(name + " speed-up vs skopeo (warm)", round(skopeo / warm), goal, true, "x");
        if (curlPipe) {
            double curl = report.median(step(), "curl pipe x" + CurlPipe.LANES);
            report.figure("median seconds curl pipe x" + CurlPipe.LANES, round(curl));
            report.goal(name + " ferry warm / curl pipe (rate)", round(curl / warm), 0.8, true, "");
        }
        if (noOp) {
            // The first copy of everything, with each tool: the first sync of this workload.
            double firstWarm = report.median("first", "ferry warm");
            double firstCold = report.median("first", "ferry cold");
            double firstSkopeo = report.median("first", "skopeo");
            report.figure(
                    "first sync, seconds ferry warm / ferry cold / skopeo",
                    String.format(Locale.ROOT, "%.2f / %.2f / %.2f", firstWarm, firstCold, firstSkopeo));
            report.figure("first sync, ratio skopeo/ferry warm", round(firstSkopeo / firstWarm));
            report.figure("first sync, ratio skopeo/ferry cold", round(firstSkopeo / firstCold));
        }
        return report;
    }

    private String step() {
        return noOp ? "no-op" : "sync";
    }

    /** skopeo sync of every repository into a fresh prefix of {@code target}: one timed row. */
    private void skopeo(
            LocalRegistry src,
            LocalRegistry target,
            List<String> repositories,
            Path work,
            int i,
            double mib,
            Report report)
            throws Exception {
        double registries = src.cpuSeconds() + target.cpuSeconds();
        double own = Cpu.ofWaitedChildren();
        double seconds = Skopeo.sync(src.host(), repositories, target.host() + "/skopeo", work, Integer.toString(i));
        report.row(
                step(),
                "skopeo",
                i,
                seconds,
                mib,
                Cpu.note("skopeo", Cpu.ofWaitedChildren() - own, src.cpuSeconds() + target.cpuSeconds() - registries));
    }

    /** Cold run {@code i}: the baseline's first, if there is one, then this build's. targets: this build's, the baseline's. */
    private void colds(
            Setup setup,
            Path work,
            LocalRegistry src,
            Targets[] targets,
            String pattern,
            int i,
            double mib,
            Report report)
            throws Exception {
        if (setup.baseline() != null) {
            coldRun(setup.baseline(), "ferry cold (baseline)", work, src, targets[1], pattern, i, mib, report);
        }
        coldRun(setup, "ferry cold", work, src, targets[0], pattern, i, mib, report);
    }

    /**
     * One cold run, a fresh JVM of {@code ferry}: without no-op into a fresh registry, with it
     * into one already filled (run 0 fills it).
     */
    private void coldRun(
            Setup ferry,
            String tool,
            Path work,
            LocalRegistry src,
            Targets targets,
            String pattern,
            int i,
            double mib,
            Report report)
            throws Exception {
        int t = noOp ? 1 : i;
        LocalRegistry target = targets.get(t);
        String registries = Schedules.registries(src.host(), List.of(target.host()));
        String file = tool.replaceAll("[^a-z]+", "-") + "-" + i;
        Path schedule = Schedules.write(
                work.resolve(file + ".yaml"),
                registries + Schedules.policy("cold", pattern, List.of(1), "cold/", "{ manual: true }"));
        Path data = work.resolve(noOp ? "data-" + tool.replaceAll("[^a-z]+", "-") : "data-" + file);
        double registryCpu = src.cpuSeconds() + target.cpuSeconds();
        double own = Cpu.ofWaitedChildren();
        FerryStandalone.Sync s = FerryStandalone.once(ferry, schedule, data, work.resolve(file + ".log"));
        String step = noOp ? (i == 0 ? "first" : "no-op") : "sync";
        report.row(
                step,
                tool,
                i,
                s.seconds(),
                noOp && i > 0 ? 0 : mib,
                s.state() + "; "
                        + Cpu.note(
                                "ferry",
                                Cpu.ofWaitedChildren() - own,
                                src.cpuSeconds() + target.cpuSeconds() - registryCpu));
    }

    private void check(
            LocalRegistry ferryTarget, String ferryPrefix, LocalRegistry skopeoTarget, String repository, Report report)
            throws Exception {
        int ferry = Tags.count(ferryTarget.host(), ferryPrefix + repository);
        // skopeo sync keeps only the last path element of a source repository under the destination
        int skopeo = Tags.count(skopeoTarget.host(), "skopeo/" + repository.substring(repository.lastIndexOf('/') + 1));
        report.figure(
                "tags of " + repository + " at target (expected/ferry/skopeo)",
                spec.tags() + "/" + ferry + "/" + skopeo);
        if (ferry != spec.tags() || skopeo != spec.tags()) {
            throw new IllegalStateException("copies incomplete: " + repository + " has " + ferry
                    + " tags from ferry and " + skopeo + " from skopeo, expected " + spec.tags());
        }
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
