package dev.ferry.coordinator.report;

import dev.ferry.coordinator.audit.LedgerVerifier;
import dev.ferry.coordinator.history.Drift;
import dev.ferry.coordinator.run.RunViews;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the compliance report of a time window from what the cluster recorded: the audit
 * ledger (every action with its actor, tag writes, failovers, drills, route switches, signature
 * rejections), the jobs that ended in a conflict, the drift the last checks found, and the
 * schedule's config-audit findings. Pure: the same inputs give the same report.
 */
public final class ComplianceReport {

    /** Everything a report is built from. */
    public record Inputs(
            Instant from,
            Instant to,
            List<String> ledgerLines,
            LedgerVerifier.Report verification,
            List<RunViews.Job> conflictJobs,
            List<Drift> drift,
            List<Map<String, Object>> configFindings,
            List<String> routes) {}

    private ComplianceReport() {}

    /** The report as JSON-ready maps and lists, in a stable key order. */
    public static Map<String, Object> build(Inputs in) {
        List<LedgerEvent> all = LedgerEvent.parse(in.ledgerLines());
        List<LedgerEvent> window = all.stream()
                .filter(e -> !e.time().isBefore(in.from()) && !e.time().isAfter(in.to()))
                .toList();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("from", in.from().toString());
        report.put("to", in.to().toString());
        report.put("ledger", ledger(in.verification(), window.size()));
        report.put("actions", actions(window));
        report.put("failovers", Outages.failovers(all, in.from(), in.to()));
        report.put("drills", Outages.drills(all, in.from(), in.to()));
        report.put("conflicts", conflicts(in.conflictJobs(), window));
        report.put("signatureRejections", entries(window, "signature.rejected"));
        report.put("drift", drift(in.drift(), window));
        report.put("configFindings", in.configFindings());
        report.put("routes", Outages.routeShares(in.routes(), all, in.from(), in.to()));
        return report;
    }

    private static Map<String, Object> ledger(LedgerVerifier.Report v, int inWindow) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verified", v.ok());
        out.put("intactSinceRecordedBreaks", v.intactSinceBreaks());
        out.put("entries", v.entries());
        out.put("entriesInWindow", inWindow);
        out.put("lastSeq", v.lastSeq());
        out.put("checkpoints", v.checkpoints());
        out.put("lastCheckpointSeq", v.lastCheckpointSeq());
        out.put("breaks", v.breaks().size());
        out.put(
                "problem",
                v.problem() == null
                        ? null
                        : "line " + v.problem().line() + " (seq " + v.problem().seq() + "): "
                                + v.problem().reason());
        return out;
    }

    /** How many actions each actor took, by action; sorted by actor, then action. */
    private static List<Map<String, Object>> actions(List<LedgerEvent> window) {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        window.forEach(
                e -> counts.computeIfAbsent(e.actor(), a -> new TreeMap<>()).merge(e.action(), 1, Integer::sum));
        List<Map<String, Object>> out = new ArrayList<>();
        counts.forEach((actor, byAction) -> byAction.forEach((action, n) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("actor", actor);
            row.put("kind", action.contains(".") ? action.substring(0, action.indexOf('.')) : action);
            row.put("action", action);
            row.put("count", n);
            out.add(row);
        }));
        return out;
    }

    private static Map<String, Object> conflicts(List<RunViews.Job> jobs, List<LedgerEvent> window) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "jobs",
                jobs.stream()
                        .map(j -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("policy", j.policy());
                            row.put("run", j.run());
                            row.put("target", j.target());
                            row.put("source", j.source());
                            row.put("reason", j.lastError());
                            return row;
                        })
                        .toList());
        out.put("backups", entries(window, "tag.backup"));
        return out;
    }

    private static Map<String, Object> drift(List<Drift> found, List<LedgerEvent> window) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "found",
                found.stream()
                        .map(d -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("target", d.registry() + "/" + d.repository() + ":" + d.tag());
                            row.put("policy", d.policy());
                            row.put("action", d.action());
                            row.put(
                                    "detectedAt",
                                    Instant.ofEpochMilli(d.detectedAt()).toString());
                            return row;
                        })
                        .toList());
        out.put("repaired", entries(window, "tag.repair"));
        return out;
    }

    /** Entries of one action: when, who, on what, and their details. */
    private static List<Map<String, Object>> entries(List<LedgerEvent> window, String action) {
        return window.stream()
                .filter(e -> e.action().equals(action))
                .map(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("at", e.time().toString());
                    row.put("actor", e.actor());
                    row.put("subject", e.subject());
                    row.put("details", e.details());
                    return row;
                })
                .toList();
    }
}
