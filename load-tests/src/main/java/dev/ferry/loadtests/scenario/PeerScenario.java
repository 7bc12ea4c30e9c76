package dev.ferry.loadtests.scenario;

import dev.ferry.loadtests.gen.WorkloadPlan;
import dev.ferry.loadtests.gen.WorkloadSpec;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry against {@code skopeo sync} on the same content and the same two registries, each run
 * into a fresh repository prefix, the two tools interleaved run by run. Ferry runs warm (a
 * running standalone, sync over the API) and cold ({@code standalone --once}, JVM start
 * included). With {@code noOp}, the content is copied once first and every timed run finds
 * nothing to do.
 */
final class PeerScenario {

  private final String name;
  private final WorkloadSpec spec;
  private final boolean noOp;
  private final double goal;

  PeerScenario(String name, WorkloadSpec spec, boolean noOp, double goal) {
    this.name = name;
    this.spec = spec;
    this.noOp = noOp;
    this.goal = goal;
  }

  Report run(Setup setup, Vertx vertx, int runs) throws Exception {
    Report report = new Report(name).workload("spec", spec).workload("runs", runs)
        .workload("ferryConcurrency", setup.concurrency());
    Path work = Files.createDirectories(setup.work().resolve(name));
    try (LocalRegistry src = LocalRegistry.start(work.resolve("source"));
        LocalRegistry dst = LocalRegistry.start(work.resolve("target"))) {
      double mib = Seeder.seed(vertx, src.host(), spec, report);
      List<String> repositories = new ArrayList<>();
      for (int r = 0; r < spec.repositories(); r++) {
        repositories.add(WorkloadPlan.repository(spec, r));
      }
      String pattern = spec.prefix() + "/*";
      StringBuilder schedule = new StringBuilder(Schedules.registries(src.host(), List.of(dst.host())));
      for (int i = 1; i <= runs; i++) {
        schedule.append(Schedules.policy("ferry-" + i, pattern, 1, "ferry-" + i + "/", "{ manual: true }"));
      }
      Path warmSchedule = Schedules.write(work.resolve("warm.yaml"), schedule.toString());
      String step = noOp ? "no-op" : "sync";
      try (FerryStandalone ferry = FerryStandalone.start(setup, warmSchedule, work.resolve("data-warm"),
          work.resolve("ferry-warm.log"))) {
        if (noOp) {
          FerryStandalone.Sync first = ferry.sync("ferry-1");
          report.row("first", "ferry warm", 0, first.seconds(), mib, first.state() + " " + first.counts());
          report.row("first", "skopeo", 0, Skopeo.sync(src.host(), repositories, dst.host() + "/skopeo-1", work, "0"),
              mib, "");
        }
        for (int i = 1; i <= runs; i++) {
          String policy = noOp ? "ferry-1" : "ferry-" + i;
          FerryStandalone.Sync s = ferry.sync(policy);
          report.row(step, "ferry warm", i, s.seconds(), noOp ? 0 : mib, s.state() + " " + s.counts());
          String into = dst.host() + "/skopeo-" + (noOp ? 1 : i);
          report.row(step, "skopeo", i, Skopeo.sync(src.host(), repositories, into, work, Integer.toString(i)),
              noOp ? 0 : mib, "");
        }
      }
      cold(setup, work, src, dst, pattern, runs, mib, report);
      check(dst, repositories.get(repositories.size() - 1), report);
    }
    String step = noOp ? "no-op" : "sync";
    double warm = report.median(step, "ferry warm");
    double cold = report.median(step, "ferry cold");
    double skopeo = report.median(step, "skopeo");
    report.figure("median seconds ferry warm / ferry cold / skopeo",
        String.format(java.util.Locale.ROOT, "%.2f / %.2f / %.2f", warm, cold, skopeo));
    report.figure("ratio skopeo/ferry warm", round(skopeo / warm));
    report.figure("ratio skopeo/ferry cold", round(skopeo / cold));
    report.goal(name + " speed-up vs skopeo (warm)", round(skopeo / warm), goal, true, "x");
    return report;
  }

  /** Cold runs: each a fresh JVM; without no-op each into a fresh prefix, with it all into one already filled. */
  private void cold(Setup setup, Path work, LocalRegistry src, LocalRegistry dst, String pattern, int runs, double mib,
      Report report) throws Exception {
    String registries = Schedules.registries(src.host(), List.of(dst.host()));
    for (int i = noOp ? 0 : 1; i <= runs; i++) {
      String prefix = noOp ? "cold/" : "cold-" + i + "/";
      Path file = Schedules.write(work.resolve("cold-" + i + ".yaml"),
          registries + Schedules.policy("cold", pattern, 1, prefix, "{ manual: true }"));
      Path data = work.resolve(noOp ? "data-cold" : "data-cold-" + i);
      FerryStandalone.Sync s = FerryStandalone.once(setup, file, data, work.resolve("ferry-cold-" + i + ".log"));
      String step = noOp ? (i == 0 ? "first" : "no-op") : "sync";
      report.row(step, "ferry cold", i, s.seconds(), noOp && i > 0 ? 0 : mib, s.state());
    }
  }

  private void check(LocalRegistry dst, String repository, Report report) throws Exception {
    int ferry = Tags.count(dst.host(), "ferry-1/" + repository);
    // skopeo sync keeps only the last path element of a source repository under the destination
    int skopeo = Tags.count(dst.host(), "skopeo-1/" + repository.substring(repository.lastIndexOf('/') + 1));
    report.figure("tags of " + repository + " at target (expected/ferry/skopeo)", spec.tags() + "/" + ferry + "/" + skopeo);
    if (ferry != spec.tags() || skopeo != spec.tags()) {
      throw new IllegalStateException("copies incomplete: " + repository + " has " + ferry + " tags from ferry and "
          + skopeo + " from skopeo, expected " + spec.tags());
    }
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
