package dev.ferry.coordinator.metrics;

import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmScope;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.config.model.Tier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Registers, at 0, every series whose labels the schedule already tells (tiers, policies,
 * registries, routes, and the fixed outcomes and modes), so a fresh member's first scrape
 * carries them. A series that only appeared at its first event would show "No data" on a
 * dashboard, and {@code rate()} or {@code increase()} over it would miss that first event.
 *
 * <p>Registering a meter twice returns the same meter, so calling this again after a config
 * reload adds the new names and leaves the counts of the old ones alone.
 */
public final class KnownSeries {

    /** {@code ferry_jobs_completed_total{outcome}}: see docs/metrics.md. */
    static final List<String> JOB_OUTCOMES = List.of("succeeded", "failed", "conflict", "rejected", "held");

    static final List<String> RUN_OUTCOMES = List.of("succeeded", "failed", "cancelled");
    static final List<String> TAG_WRITE_KINDS = List.of("write", "rollback", "repair", "delete", "backup");
    static final List<String> FAILOVER_MODES = List.of("auto", "failover", "drain", "drill");
    static final List<String> FAILBACK_MODES = List.of("auto", "manual", "forced", "drill");
    static final List<String> PULL_OUTCOMES = List.of("hit", "miss");
    static final List<String> MIGRATION_OUTCOMES = List.of("completed", "failed");
    /** The first parts of ledger actions ({@code ferry_audit_events_total{kind}}). */
    static final List<String> AUDIT_KINDS = List.of(
            "api", "tag", "registry", "route", "drill", "quota", "run", "signature", "token", "config", "ledger");
    /** The route a pull is counted under when its registry is a mirror of no route. */
    static final String NO_ROUTE = "none";

    private KnownSeries() {}

    /** Registers the series {@code schedule} names on {@code metrics}, each at 0 (or its current count). */
    public static void register(FerryMetrics metrics, Schedule schedule) {
        for (Tier tier : Tier.values()) {
            String t = tier.yamlName();
            metrics.leasesGranted(t);
            metrics.jobDuration(t);
            JOB_OUTCOMES.forEach(outcome -> metrics.jobsCompleted(t, outcome));
        }
        metrics.leasesExpired();
        metrics.completionBatches();
        metrics.completionsBatched();
        metrics.leaseRequests(true);
        metrics.leaseRequests(false);
        MIGRATION_OUTCOMES.forEach(metrics::migrations);
        AUDIT_KINDS.forEach(metrics::auditEvents);
        for (Policy p : schedule.policies()) {
            metrics.conflicts(p.name());
            metrics.planErrors(p.name());
            metrics.planTargetChecks(p.name(), "record");
            metrics.planTargetChecks(p.name(), "head");
            metrics.planTargetChecks(p.name(), "list");
            metrics.signatureRejections(p.name(), p.source().registry());
            RUN_OUTCOMES.forEach(outcome -> metrics.runs(p.name(), outcome));
            metrics.driftGauge(p.name());
            for (TargetSpec target : p.targets()) {
                metrics.lagGauge(p.name(), target.registry());
            }
        }
        for (String target : targets(schedule)) {
            TAG_WRITE_KINDS.forEach(kind -> metrics.tagWrites(kind, target));
        }
        // Only where pre-warming and ttl expiry can happen: the targets a pre-warming policy warms.
        for (Policy p : schedule.policies()) {
            if (p.prewarm() == null) {
                continue;
            }
            for (TargetSpec target : PrewarmScope.narrow(p, schedule.routes()).targets()) {
                metrics.prewarmBytes(target.registry());
                if (target.ttl() != null) {
                    metrics.tagsExpired(target.registry());
                }
            }
        }
        for (RegistryConfig r : schedule.registries()) {
            FAILOVER_MODES.forEach(mode -> metrics.failovers(r.name(), mode));
            FAILBACK_MODES.forEach(mode -> metrics.failbacks(r.name(), mode));
            String route = firstRoute(schedule, r.name());
            PULL_OUTCOMES.forEach(outcome -> metrics.pulls(r.name(), route, outcome));
        }
    }

    /** The route a pull at {@code registry} is counted under, as {@code PullRecorder} names it. */
    static String firstRoute(Schedule schedule, String registry) {
        return schedule.routes().stream()
                .filter(r -> r.mirrors().contains(registry))
                .map(RouteConfig::name)
                .findFirst()
                .orElse(NO_ROUTE);
    }

    private static Set<String> targets(Schedule schedule) {
        Set<String> out = new LinkedHashSet<>();
        schedule.policies().forEach(p -> p.targets().forEach(t -> out.add(t.registry())));
        return out;
    }
}
