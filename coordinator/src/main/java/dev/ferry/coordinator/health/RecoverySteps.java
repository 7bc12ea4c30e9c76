package dev.ferry.coordinator.health;

import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.Tier;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.run.RunManager;
import dev.ferry.coordinator.run.RunRecord;
import dev.ferry.coordinator.run.RunStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry's way back into its routes, one phase per probe tick ({@link Recovery}): catch-up
 * runs of every policy that targets it, at critical tier; once they all succeeded, a drift check;
 * without drift, failback after the stable period (at once for a drill, whose registry never was
 * unhealthy). A failed catch-up is tried again when {@link HealthRules#retryDue} says so.
 */
final class RecoverySteps {

    /** Failover's parts log as one category, as before they were split. */
    private static final Logger LOG = LoggerFactory.getLogger(FailoverMonitor.class);

    private final ReloadableSchedule schedule;
    private final HealthStore store;
    private final RunManager runManager;
    private final RunStore runs;
    private final DriftService drift;
    private final HealthEvents events;
    private final RouteRefresher routes;
    private final Drills drills;
    private final AuditTrail audit;
    private final Clock clock;

    RecoverySteps(
            ReloadableSchedule schedule,
            HealthStore store,
            RunManager runManager,
            RunStore runs,
            DriftService drift,
            HealthEvents events,
            RouteRefresher routes,
            Drills drills,
            AuditTrail audit,
            Clock clock) {
        this.schedule = schedule;
        this.store = store;
        this.runManager = runManager;
        this.runs = runs;
        this.drift = drift;
        this.events = events;
        this.routes = routes;
        this.drills = drills;
        this.audit = audit;
        this.clock = clock;
    }

    /** Moves one registry's recovery one phase on. */
    Future<Void> step(Schedule s, HealthRules rules, RegistryHealth h) {
        Recovery r = h.recovery();
        long now = clock.millis();
        switch (r.phase()) {
            case Recovery.PENDING:
                return startCatchUp(s, h.name());
            case Recovery.CATCHING_UP:
                return checkCatchUp(s, h.name(), r);
            case Recovery.VERIFIED:
                if (rules.readyForFailback(h, now)) {
                    return failBackNow(h.name(), r.drill() ? "drill" : "auto", FailoverMonitor.SYSTEM, rules);
                }
                return Future.succeededFuture();
            case Recovery.FAILED:
                if (rules.retryDue(h, now)) {
                    return store.update(
                                    h.name(),
                                    cur -> cur == null || cur.recovery() == null
                                            ? cur
                                            : cur.withRecovery(Recovery.pending(
                                                    now, cur.recovery().drill())))
                            .mapEmpty();
                }
                return Future.succeededFuture();
            default:
                return Future.succeededFuture();
        }
    }

    private Future<Void> startCatchUp(Schedule s, String registry) {
        List<Policy> policies =
                s.policies().stream().filter(p -> p.targets(registry)).toList();
        long asked = clock.millis();
        boolean[] joined = new boolean[1];
        List<Future<String>> started = new ArrayList<>();
        for (Policy p : policies) {
            started.add(runManager
                    .trigger(p.name(), cur -> cur.narrowedTo(registry, Tier.CRITICAL))
                    .map(run -> {
                        if (run.startedAt() < asked) {
                            joined[0] = true;
                        }
                        return run.id();
                    })
                    .recover(e -> {
                        LOG.warn("catch-up of {} could not start policy {}: {}", registry, p.name(), e.getMessage());
                        return Future.succeededFuture((String) null);
                    }));
        }
        return Future.join(started).transform(v -> {
            List<String> ids = started.stream()
                    .map(f -> f.succeeded() ? f.result() : null)
                    .filter(Objects::nonNull)
                    .toList();
            LOG.info("catch-up of {} started: {} run(s) {}", registry, ids.size(), ids);
            return store.update(
                            registry,
                            cur -> cur == null || cur.recovery() == null
                                    ? cur
                                    : cur.withRecovery(cur.recovery().catchingUp(ids, joined[0])))
                    .compose(c -> audit.record(
                            FailoverMonitor.SYSTEM,
                            "registry.catchup",
                            "registry/" + registry,
                            Map.of("runs", String.join(",", ids), "policies", policies.size())));
        });
    }

    private Future<Void> checkCatchUp(Schedule s, String registry, Recovery r) {
        List<Future<Optional<RunRecord>>> records =
                r.runs().stream().map(runs::get).toList();
        return Future.all(records).compose(v -> {
            List<RunRecord> got = records.stream()
                    .map(Future::result)
                    .flatMap(Optional::stream)
                    .toList();
            if (got.stream().anyMatch(run -> !run.ended())) {
                return Future.succeededFuture();
            }
            List<String> bad = got.stream()
                    .filter(run -> !"succeeded".equals(run.state()))
                    .map(run -> run.id() + " " + run.state())
                    .toList();
            if (!bad.isEmpty()) {
                return setPhase(registry, Recovery.FAILED, "catch-up runs did not succeed: " + String.join(", ", bad));
            }
            if (r.joined()) {
                return store.update(
                                registry,
                                cur -> cur == null || cur.recovery() == null
                                        ? cur
                                        : cur.withRecovery(cur.recovery().nextRound()))
                        .mapEmpty();
            }
            return verifyDrift(s, registry);
        });
    }

    private Future<Void> verifyDrift(Schedule s, String registry) {
        List<Future<DriftService.Report>> checks = s.policies().stream()
                .filter(p -> p.targets(registry))
                .map(drift::check)
                .toList();
        return Future.join(checks).transform(v -> {
            long drifted = checks.stream()
                    .filter(Future::succeeded)
                    .flatMap(f -> f.result().drifted().stream())
                    .filter(d -> d.registry().equals(registry))
                    .count();
            List<String> failed = checks.stream()
                    .filter(Future::failed)
                    .map(f -> f.cause().getMessage())
                    .toList();
            if (!failed.isEmpty()) {
                return setPhase(registry, Recovery.FAILED, "drift check failed: " + failed.get(0));
            }
            if (drifted > 0) {
                return setPhase(registry, Recovery.FAILED, drifted + " drifted tag(s) after the catch-up");
            }
            return setPhase(registry, Recovery.VERIFIED, "caught up; no drift");
        });
    }

    private Future<Void> setPhase(String registry, String phase, String why) {
        long now = clock.millis();
        LOG.info("catch-up of {}: {} ({})", registry, phase, why);
        return store.update(
                        registry,
                        cur -> cur == null || cur.recovery() == null
                                ? cur
                                : cur.withRecovery(cur.recovery().phase(phase, now, why)))
                .compose(change -> audit.record(
                                FailoverMonitor.SYSTEM,
                                "registry.catchup." + phase,
                                "registry/" + registry,
                                Map.of("detail", why))
                        .map(change.after()))
                .compose(h -> {
                    boolean drill =
                            h != null && h.recovery() != null && h.recovery().drill();
                    if (!drill) {
                        return Future.succeededFuture();
                    }
                    HealthRules rules = new HealthRules(schedule.current().failover());
                    // A drill's registry never was unhealthy: once verified, it goes back at once.
                    Future<Void> back = Recovery.VERIFIED.equals(phase) && rules.readyForFailback(h, now)
                            ? failBackNow(registry, "drill", FailoverMonitor.SYSTEM, rules)
                            : Future.succeededFuture();
                    return back.compose(v -> drills.finish(registry, phase, why));
                });
    }

    private Future<Void> failBackNow(String registry, String mode, String actor, HealthRules rules) {
        long now = clock.millis();
        return store.update(
                        registry,
                        cur -> cur == null
                                ? null
                                : rules.settle(cur.withManual(null).withRecovery(null), now)
                                        .withRoutes(true))
                .compose(change -> events.failedBack(change, mode, actor))
                .compose(v -> routes.refresh(schedule.current()));
    }
}
