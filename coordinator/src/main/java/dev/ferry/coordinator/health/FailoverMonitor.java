package dev.ferry.coordinator.health;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.ReplicationLag;
import dev.ferry.coordinator.run.RunManager;
import dev.ferry.coordinator.run.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes registries and moves routes: the probe loop, and the front of failover's parts. One
 * member decides: the oldest member of the cluster (every member agrees on who that is), so two
 * members never probe, fail over or fail back the same registry at once. When it leaves, the
 * next oldest continues from the replicated state in {@link HealthStore}. Route views are
 * derived from that state, so every member serves the same routes.
 *
 * <p>Each tick (one {@code failover.probeInterval}) the leader probes every registry, moves
 * recoveries along ({@link RecoverySteps}: catch-up runs at critical tier, then a drift check,
 * then the stable period), ends drills that are due ({@link Drills}), and recomputes the routes
 * ({@link RouteRefresher}). Every health change is recorded by {@link HealthEvents}; the
 * health gauges are {@link HealthGauges}.
 */
public final class FailoverMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverMonitor.class);
    public static final String DRILLS_MAP = "ferry-drills";
    static final String SYSTEM = "ferry";

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final ReloadableSchedule schedule;
    private final HealthStore store;
    private final Prober prober;
    private final AuditTrail audit;
    private final Clock clock;
    private final HealthEvents events;
    private final RouteRefresher routes;
    private final Drills drills;
    private final RecoverySteps recovery;
    private final HealthGauges gauges;
    private final Set<String> stepping = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> breakerReports = new ConcurrentHashMap<>();
    private final FerryMetrics metrics;
    private long timer = -1;
    private boolean ticking;

    public FailoverMonitor(
            Vertx vertx,
            HazelcastInstance hazelcast,
            ReloadableSchedule schedule,
            HealthStore store,
            RunManager runManager,
            RunStore runs,
            DriftService drift,
            ReplicationLag lag,
            JobStore jobs,
            AuditTrail audit,
            Clock clock,
            FerryMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.schedule = schedule;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.prober = new Prober(vertx, clock, rules().config().probeTimeout());
        this.events = new HealthEvents(audit, () -> metrics);
        this.routes = new RouteRefresher(store, lag, drift, audit, clock);
        IMap<String, DrillReport> drillReports = hazelcast.getMap(DRILLS_MAP);
        this.drills = new Drills(vertx, drillReports, store, jobs, events, routes, schedule, audit, clock);
        this.recovery =
                new RecoverySteps(schedule, store, runManager, runs, drift, events, routes, drills, audit, clock);
        this.gauges = new HealthGauges(store, () -> metrics);
    }

    HealthRules rules() {
        return new HealthRules(schedule.current().failover());
    }

    public HealthStore store() {
        return store;
    }

    /** Starts ticking; every member does, and only the leader acts. */
    public void start() {
        // The health gauges exist from the start (at their initial state), not from the first probe.
        gauges.register(schedule.current());
        long every = schedule.current().failover().probeInterval().toMillis();
        timer = vertx.setPeriodic(Math.min(every, 1_000), every, id -> tick());
    }

    public Future<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return prober.close();
    }

    /** True on the member that probes and decides: the oldest in the cluster. */
    public boolean leader() {
        return hazelcast.getCluster().getMembers().iterator().next().localMember();
    }

    /**
     * Why writes to {@code registry} wait, or null when they may go ahead: read from this
     * member's copy, for the lease path.
     */
    public String holdsWrites(String registry) {
        return store.holdsWrites(registry);
    }

    void tick() {
        gauges.register(schedule.current());
        if (ticking || !leader()) {
            return;
        }
        ticking = true;
        Schedule s = schedule.current();
        HealthRules rules = new HealthRules(s.failover());
        List<Future<?>> probes = new ArrayList<>();
        for (RegistryConfig r : s.registries()) {
            if (r.isLayout()) {
                continue; // an OCI layout directory has no /v2/ to probe
            }
            probes.add(prober.probe(r, s.failover().probeTimeout())
                    .compose(result -> {
                        metrics.probe(r.name(), Duration.ofMillis(result.latencyMillis()), result.ok());
                        return store.update(
                                r.name(),
                                h -> rules.afterProbe(
                                        h == null ? RegistryHealth.initial(r.name(), clock.millis()) : h, result));
                    })
                    .compose(change -> events.recorded(change, SYSTEM)));
        }
        Future.join(probes)
                .transform(v -> steps(s, rules))
                .transform(v -> routes.refresh(s))
                .onComplete(ar -> {
                    ticking = false;
                    if (ar.failed()) {
                        LOG.warn("failover tick failed: {}", ar.cause().toString());
                    }
                });
    }

    /** Ends the drills that are due and moves each recovery one phase on (one step at a time per registry). */
    private Future<Void> steps(Schedule s, HealthRules rules) {
        long now = clock.millis();
        List<Future<?>> all = new ArrayList<>();
        for (RegistryHealth h : store.allHealth().values()) {
            if (h.manual() != null
                    && Manual.DRILL.equals(h.manual().mode())
                    && now >= h.manual().until()) {
                all.add(drills.end(h.name(), h.manual().drillId(), rules));
            } else if (h.recovery() != null && stepping.add(h.name())) {
                all.add(recovery.step(s, rules, h).onComplete(ar -> stepping.remove(h.name())));
            }
        }
        return Future.join(all).mapEmpty();
    }

    /**
     * A worker reports breakers open: each such registry counts as degraded for a few probe
     * intervals. Reports repeat with every poll; one a probe interval per worker and registry
     * reaches the shared map.
     */
    public void breakersOpen(String worker, List<String> registries) {
        long now = clock.millis();
        long every = schedule.current().failover().probeInterval().toMillis();
        for (String registry : registries) {
            if (schedule.current().registry(registry).isEmpty()) {
                continue;
            }
            Long last = breakerReports.get(worker + "|" + registry);
            if (last != null && now - last < every) {
                continue;
            }
            breakerReports.put(worker + "|" + registry, now);
            HealthRules rules = rules();
            store.update(
                            registry,
                            h -> rules.breakerOpen(h == null ? RegistryHealth.initial(registry, now) : h, worker, now))
                    .compose(change -> events.recorded(change, worker))
                    .onFailure(e ->
                            LOG.warn("could not record {}'s open breaker for {}: {}", worker, registry, e.toString()));
        }
    }

    // ---- operator actions (any member) ----

    /** Takes a registry out of service by hand: {@code failover} or {@code drain}. */
    public Future<RegistryHealth> takeOut(String registry, String mode, String reason, String actor) {
        requireRegistry(registry);
        long now = clock.millis();
        HealthRules rules = rules();
        Manual manual = new Manual(mode, actor, reason, now, null, 0);
        return store.update(
                        registry,
                        h -> rules.takeOut(h == null ? RegistryHealth.initial(registry, now) : h, manual, now))
                .compose(change -> audit.record(
                                actor,
                                "registry." + mode,
                                "registry/" + registry,
                                Map.of("reason", reason == null ? "" : reason))
                        .compose(v -> events.recorded(change, actor))
                        .map(change.after()))
                .compose(h -> routes.refresh(schedule.current()).map(h));
    }

    /** See {@link HealthRules#failback}: refused (409) with the reason until the catch-up is verified. */
    public Future<RegistryHealth> failback(String registry, boolean force, String actor) {
        requireRegistry(registry);
        long now = clock.millis();
        HealthRules rules = rules();
        HealthRules.Failback[] answer = new HealthRules.Failback[1];
        return store.update(registry, h -> {
                    answer[0] = rules.failback(h == null ? RegistryHealth.initial(registry, now) : h, force, now);
                    return answer[0].health();
                })
                .compose(change -> {
                    HealthRules.Failback result = answer[0];
                    Future<Void> recorded = result.done()
                            ? events.failedBack(change, force ? "forced" : "manual", actor)
                            : audit.record(
                                            actor,
                                            "registry.failback.refused",
                                            "registry/" + registry,
                                            Map.of("reason", result.message()))
                                    .compose(v -> events.recorded(change, actor));
                    return recorded.compose(v -> routes.refresh(schedule.current()))
                            .compose(v -> result.done()
                                    ? Future.succeededFuture(change.after())
                                    : Future.failedFuture(new ApiException(409, "catch_up_pending", result.message())));
                });
    }

    /** Starts a drill: the registry is out of service for {@code duration}, then restored and caught up. */
    public Future<DrillReport> startDrill(String registry, Duration duration, String actor) {
        requireRegistry(registry);
        return drills.start(registry, duration, actor, rules());
    }

    public Future<Optional<DrillReport>> drill(String id) {
        return drills.get(id);
    }

    private void requireRegistry(String registry) {
        if (schedule.current().registry(registry).isEmpty()) {
            throw ApiException.notFound("registry", registry);
        }
    }

    /** Recomputes every route from the shared health, the replication lag and the drift found. */
    public Future<Void> refreshRoutes(Schedule s) {
        return routes.refresh(s);
    }
}
