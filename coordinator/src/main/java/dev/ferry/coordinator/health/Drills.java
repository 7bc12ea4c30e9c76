package dev.ferry.coordinator.health;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.hz.HzFutures;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.job.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Failover drills: a healthy registry taken out of service for a while on purpose, then
 * restored and caught up like a real recovery. Each drill's {@link DrillReport} (routes that
 * switched, held and failed jobs, catch-up time, outcome) is kept in a cluster map for 7 days.
 */
final class Drills {

    private final Vertx vertx;
    private final IMap<String, DrillReport> reports;
    private final HealthStore store;
    private final JobStore jobs;
    private final HealthEvents events;
    private final RouteRefresher routes;
    private final ReloadableSchedule schedule;
    private final AuditTrail audit;
    private final Clock clock;

    Drills(
            Vertx vertx,
            IMap<String, DrillReport> reports,
            HealthStore store,
            JobStore jobs,
            HealthEvents events,
            RouteRefresher routes,
            ReloadableSchedule schedule,
            AuditTrail audit,
            Clock clock) {
        this.vertx = vertx;
        this.reports = reports;
        this.store = store;
        this.jobs = jobs;
        this.events = events;
        this.routes = routes;
        this.schedule = schedule;
        this.audit = audit;
        this.clock = clock;
    }

    /** Starts a drill: the registry is out of service for {@code duration}, then restored and caught up. */
    Future<DrillReport> start(String registry, Duration duration, String actor, HealthRules rules) {
        RegistryHealth current = store.health(registry).orElse(RegistryHealth.initial(registry, clock.millis()));
        if (current.manual() != null || current.state() == HealthState.DOWN || !current.inRoutes()) {
            return Future.failedFuture(new ApiException(
                    409,
                    "registry_unavailable",
                    registry + " is " + current.state().apiName() + (current.inRoutes() ? "" : " and out of its routes")
                            + " (" + current.reason() + "); a drill needs a registry in service"));
        }
        long now = clock.millis();
        String id = "drill-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> before = routes.activeByRoute();
        Manual manual = new Manual(Manual.DRILL, actor, "drill " + id, now, id, now + duration.toMillis());
        return countJobs(registry, JobState.FAILED)
                .compose(failedBefore -> store.update(
                                registry,
                                h -> rules.takeOut(h == null ? RegistryHealth.initial(registry, now) : h, manual, now))
                        .compose(change -> events.recorded(change, actor))
                        .compose(v -> routes.refresh(schedule.current()))
                        .compose(v -> {
                            Map<String, String> after = routes.activeByRoute();
                            List<DrillReport.Switch> switched = new ArrayList<>();
                            before.forEach((route, was) -> {
                                String is = after.get(route);
                                if (!Objects.equals(was, is)) {
                                    switched.add(new DrillReport.Switch(route, was, is));
                                }
                            });
                            DrillReport report = new DrillReport(
                                    id,
                                    registry,
                                    actor,
                                    now,
                                    duration.toMillis(),
                                    switched,
                                    DrillReport.RUNNING,
                                    0,
                                    0,
                                    0,
                                    0,
                                    "out of service until " + Instant.ofEpochMilli(now + duration.toMillis()),
                                    failedBefore);
                            return put(report)
                                    .compose(x -> audit.record(
                                            actor,
                                            "drill.start",
                                            "registry/" + registry,
                                            Map.of(
                                                    "drill",
                                                    id,
                                                    "durationSeconds",
                                                    duration.toSeconds(),
                                                    "switchedRoutes",
                                                    switched.size())))
                                    .map(report);
                        }));
    }

    Future<Optional<DrillReport>> get(String id) {
        return vertx.executeBlocking(() -> Optional.ofNullable(reports.get(id)), false);
    }

    /** The drill's time is up: the registry is restored and its recovery (catch-up) begins. */
    Future<Void> end(String registry, String drillId, HealthRules rules) {
        long now = clock.millis();
        return countJobs(registry, JobState.HELD)
                .compose(held -> store.update(
                                registry, h -> h == null || h.manual() == null ? h : rules.endDrill(h, now))
                        .compose(change -> events.recorded(change, FailoverMonitor.SYSTEM))
                        .compose(v -> get(drillId))
                        .compose(
                                found -> found.map(d -> put(d.ended(now, held))).orElse(Future.succeededFuture()))
                        .compose(v -> audit.record(
                                FailoverMonitor.SYSTEM,
                                "drill.restore",
                                "registry/" + registry,
                                Map.of("drill", drillId, "heldJobs", held))));
    }

    /** Completes the report of the drill whose catch-up just ended (verified and back, or failed). */
    Future<Void> finish(String registry, String phase, String why) {
        long now = clock.millis();
        return vertx.executeBlocking(
                        () -> reports.values(Predicates.and(
                                Predicates.equal("registry", registry),
                                Predicates.equal("phase", DrillReport.CATCHING_UP))),
                        false)
                .compose(open -> countJobs(registry, JobState.FAILED).compose(failedNow -> {
                    List<Future<Void>> done = new ArrayList<>();
                    for (DrillReport d : open) {
                        DrillReport finished = d.finish(
                                Recovery.VERIFIED.equals(phase) && failedNow - d.failedBefore() <= 0,
                                now,
                                failedNow,
                                why);
                        done.add(put(finished)
                                .compose(v -> audit.record(
                                        FailoverMonitor.SYSTEM,
                                        "drill.end",
                                        "registry/" + registry,
                                        Map.of(
                                                "drill",
                                                d.id(),
                                                "outcome",
                                                finished.phase(),
                                                "catchUpMillis",
                                                finished.catchUpMillis(),
                                                "failedJobs",
                                                finished.failedJobs()))));
                    }
                    return Future.join(done).mapEmpty();
                }));
    }

    private Future<Void> put(DrillReport report) {
        return HzFutures.on(vertx.getOrCreateContext(), reports.setAsync(report.id(), report, 7, TimeUnit.DAYS))
                .mapEmpty();
    }

    private Future<Integer> countJobs(String registry, JobState state) {
        return jobs.query(Predicates.and(
                        Predicates.equal("state", state), Predicates.like("key.partition", "%|" + registry + "|%")))
                .map(Collection::size);
    }
}
