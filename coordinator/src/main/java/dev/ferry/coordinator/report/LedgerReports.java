package dev.ferry.coordinator.report;

import dev.ferry.config.audit.ConfigAudit;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.audit.AuditReader;
import dev.ferry.coordinator.audit.LedgerVerifier;
import dev.ferry.coordinator.history.HistoryService;
import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.run.RunViews;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gathers a {@link ComplianceReport}'s inputs on a member: the whole ledger (to verify its chain
 * and to see failovers that began before the window), conflicted jobs, drift, and the
 * config-audit findings of the schedule file the member was started with.
 */
public final class LedgerReports implements ComplianceReports {

    /** Pages read from the ledger: at most this many entries go into one report. */
    static final int PAGE = 100_000;

    static final int MAX_PAGES = 20;
    static final int MAX_CONFLICTS = 1000;

    private final Vertx vertx;
    private final AuditReader ledger;
    private final RunService runs;
    private final HistoryService history;
    private final Supplier<Schedule> schedule;
    private final Path scheduleFile;
    private final Clock clock;

    /** @param scheduleFile the schedule file to run the config audit on; null when there is none */
    public LedgerReports(
            Vertx vertx,
            AuditReader ledger,
            RunService runs,
            HistoryService history,
            Supplier<Schedule> schedule,
            Path scheduleFile,
            Clock clock) {
        this.vertx = vertx;
        this.ledger = ledger;
        this.runs = runs;
        this.history = history;
        this.schedule = schedule;
        this.scheduleFile = scheduleFile;
        this.clock = clock;
    }

    @Override
    public Future<Map<String, Object>> report(Duration since) {
        Instant to = clock.instant();
        Instant from = to.minus(since);
        Future<List<String>> lines = readAll(1, new ArrayList<>(), 0);
        Future<List<RunViews.Job>> conflicts = runs.jobs(new RunViews.JobQuery("conflict", null, null, MAX_CONFLICTS));
        var drift = history.drift(null);
        Future<List<Map<String, Object>>> findings = vertx.executeBlocking(this::configFindings, false);
        return Future.all(lines, conflicts, drift, findings)
                .compose(all -> vertx.executeBlocking(
                        () -> {
                            List<String> text = lines.result();
                            LedgerVerifier.Report verification = new LedgerVerifier(Set.of()).verify(text);
                            List<String> routes = schedule.get().routes().stream()
                                    .map(RouteConfig::name)
                                    .toList();
                            return ComplianceReport.build(new ComplianceReport.Inputs(
                                    from,
                                    to,
                                    text,
                                    verification,
                                    conflicts.result(),
                                    drift.result(),
                                    findings.result(),
                                    routes));
                        },
                        false));
    }

    private Future<List<String>> readAll(long since, List<String> into, int pages) {
        return ledger.read(since, PAGE).compose(page -> {
            into.addAll(page);
            if (page.size() < PAGE || pages + 1 >= MAX_PAGES) {
                return Future.succeededFuture(into);
            }
            return readAll(LedgerVerifier.seqOf(page.get(page.size() - 1)) + 1, into, pages + 1);
        });
    }

    private List<Map<String, Object>> configFindings() {
        if (scheduleFile == null) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            ConfigAudit.audit(scheduleFile).findings().forEach(f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
                m.put("rule", f.rule());
                m.put(
                        "where",
                        f.location().file() + ":" + f.location().line() + ":"
                                + f.location().column());
                m.put("message", f.message());
                out.add(m);
            });
        } catch (RuntimeException e) {
            out.add(Map.of(
                    "severity",
                    "high",
                    "rule",
                    "unreadable",
                    "where",
                    scheduleFile.toString(),
                    "message",
                    "the schedule file could not be audited: " + e.getMessage()));
        }
        return out;
    }
}
