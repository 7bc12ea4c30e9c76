package dev.ferry.loadtests.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The chaos soak's end, once churn and faults have stopped and everything is up again: waits
 * (bounded) until both targets equal the source through the registry API, then compares once
 * more with skopeo (the figures that count), verifies each member's audit ledger and looks for
 * stuck jobs. Everything it finds goes into the report as figures and goals.
 */
final class ChaosVerdict {

    private static final Duration STUCK_WINDOW = Duration.ofSeconds(60);

    private final Setup setup;
    private final Path work;
    private final Report report;

    ChaosVerdict(Setup setup, Path work, Report report) {
        this.setup = setup;
        this.work = work;
        this.report = report;
    }

    void conclude(
            RegistryView source,
            List<RegistryView> targets,
            List<String> repositories,
            FerryCluster cluster,
            int catchUpSeconds,
            Supplier<List<RegistryView>> skopeo)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(catchUpSeconds).toNanos();
        boolean equal = false;
        while (!equal && System.nanoTime() < deadline) {
            equal = true;
            for (RegistryView target : targets) {
                equal &= Convergence.compare(source, target, repositories).equal();
            }
            if (!equal) {
                Thread.sleep(2_000);
            }
        }
        double catchUp = (System.nanoTime() - t0) / 1e9;
        report.row(
                "catch-up",
                "ferry",
                1,
                catchUp,
                0,
                equal ? "targets equal the source" : "not equal after " + catchUpSeconds + " s");
        report.figure("catch-up after the churn (s)", Math.round(catchUp * 10) / 10.0);

        long t1 = System.nanoTime();
        List<RegistryView> views = skopeo.get();
        int lost = 0;
        int stale = 0;
        int errors = 0;
        int compared = 0;
        List<String> details = new ArrayList<>();
        for (RegistryView target : views.subList(1, views.size())) {
            Convergence.Result r = Convergence.compare(views.get(0), target, repositories);
            lost += r.lost();
            stale += r.extra();
            errors += r.errors();
            compared += r.compared();
            details.addAll(r.details());
        }
        report.row("compare", "skopeo", 1, (System.nanoTime() - t1) / 1e9, 0, compared + " source tags x targets");
        report.figure("final comparison (skopeo): source tags x targets compared", compared);
        report.figure("final comparison differences", details);
        report.goal("lost (missing or wrong tags)", lost, 0, false, "tags");
        report.goal("deleted at source, still on a target", stale, 0, false, "tags");
        report.goal("comparison errors", errors, 0, false, "repos");

        long t2 = System.nanoTime();
        JobStoreCheck.Result jobs = JobStoreCheck.run(cluster::anyReadyApi, STUCK_WINDOW);
        report.figure("jobs open after the catch-up", jobs.openAtStart());
        report.figure("stuck jobs", jobs.stuck());
        report.figure("failed jobs (of the last 1000)", jobs.failed());
        report.figure("why jobs failed (the first 10)", jobs.whyFailed());
        report.figure("conflict jobs (of the last 1000)", jobs.conflicts());
        if (jobs.error() != null) {
            report.figure("job store error", jobs.error());
        }
        report.goal("stuck jobs", jobs.error() == null ? jobs.stuck().size() : 1, 0, false, "jobs");

        int bad = 0;
        List<String> verdicts = new ArrayList<>();
        for (int i = 0; i < cluster.memberCount(); i++) {
            String member = cluster.member(i).name();
            LedgerCheck.Verdict v =
                    LedgerCheck.verify(setup, member, cluster.api(i), work.resolve("audit-verify-" + member + ".log"));
            verdicts.add(member + ": exit " + v.exitCode() + " " + v.lastLine());
            bad += v.intact() ? 0 : 1;
        }
        report.row("verify", "ferry ctl", 1, (System.nanoTime() - t2) / 1e9, 0, "job store and audit ledgers");
        report.figure("audit verify", verdicts);
        report.goal("ledgers that do not verify", bad, 0, false, "members");
    }
}
