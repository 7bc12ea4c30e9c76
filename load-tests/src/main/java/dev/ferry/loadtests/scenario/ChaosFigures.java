package dev.ferry.loadtests.scenario;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The chaos soak's figures from churn, faults, the invariant checker and the lag tracker. */
final class ChaosFigures {

    private ChaosFigures() {}

    static void add(
            Report report,
            Churn churn,
            FaultInjector faults,
            ChaosProxy proxy,
            InvariantChecker checker,
            LagTracker lags,
            SourceHistory history) {
        report.figure("tags pushed (new)", churn.newTags());
        report.figure("tags re-tagged", churn.retags());
        report.figure("tags deleted", churn.deletes());
        report.figure("manifest digests the source served", history.digestsServed());
        report.figure("churn errors", churn.errors());
        Map<String, Integer> injected = new LinkedHashMap<>();
        faults.injected().forEach((kind, n) -> injected.put(kind.description, n));
        report.figure("faults injected", injected);
        report.figure(
                "faults injected (total)",
                injected.values().stream().mapToInt(Integer::intValue).sum());
        report.figure("requests answered 429 / blob bodies corrupted", proxy.throttled() + " / " + proxy.corrupted());
        report.figure("fault problems", faults.problems());
        report.goal(
                "faults not healed (a process that did not come back)",
                faults.problems().size(),
                0,
                false,
                "faults");
        double[] sorted = lags.sorted();
        report.figure("tags replicated (push seen at a target, lag measured)", sorted.length);
        report.figure("pushes superseded before a target showed them", lags.superseded());
        report.figure("pushes never seen at a target with their digest", lags.pending());
        report.figure(
                "replication lag p50 / p99 / max (s)",
                String.format(
                        Locale.ROOT,
                        "%.1f / %.1f / %.1f",
                        LagTracker.quantile(sorted, 0.5),
                        LagTracker.quantile(sorted, 0.99),
                        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]));
        report.figure("invariants (checks, failures)", checker.summary());
        report.figure("target polls that found a target unreachable", checker.unreachable());
        report.figure("invariant failures", checker.recorded());
        long failures = checker.failures(InvariantChecker.COMPLETE) + checker.failures(InvariantChecker.KNOWN);
        report.goal("invariant failures", failures, 0, false, "tags");
    }
}
