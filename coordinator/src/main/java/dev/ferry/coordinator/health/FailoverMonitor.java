package dev.ferry.coordinator.health;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.Tier;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.history.Drift;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.ReplicationLag;
import dev.ferry.coordinator.run.RunManager;
import dev.ferry.coordinator.run.RunRecord;
import dev.ferry.coordinator.run.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes registries and moves routes. One member decides: the oldest member of the cluster
 * (every member agrees on who that is), so two members never probe, fail over or fail back
 * the same registry at once. When it leaves, the next oldest continues from the replicated
 * state in {@link HealthStore}. Route views are derived from that state, so every member
 * serves the same routes.
 *
 * <p>Each tick (one {@code failover.probeInterval}) the leader probes every registry, moves
 * recoveries along (catch-up runs at critical tier, then a drift check, then the stable
 * period), ends drills that are due, and recomputes the routes.
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
  private final RunManager runManager;
  private final RunStore runs;
  private final DriftService drift;
  private final ReplicationLag lag;
  private final JobStore jobs;
  private final AuditTrail audit;
  private final Clock clock;
  private final IMap<String, DrillReport> drills;
  private final Set<String> stepping = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> breakerReports = new ConcurrentHashMap<>();
  private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();
  private volatile FerryMetrics metrics = FerryMetrics.none();
  private long timer = -1;
  private boolean ticking;

  public FailoverMonitor(Vertx vertx, HazelcastInstance hazelcast, ReloadableSchedule schedule, HealthStore store,
      RunManager runManager, RunStore runs, DriftService drift, ReplicationLag lag, JobStore jobs, AuditTrail audit,
      Clock clock) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.schedule = schedule;
    this.store = store;
    this.runManager = runManager;
    this.runs = runs;
    this.drift = drift;
    this.lag = lag;
    this.jobs = jobs;
    this.audit = audit;
    this.clock = clock;
    this.drills = hazelcast.getMap(DRILLS_MAP);
    this.prober = new Prober(vertx, clock, rules().config().probeTimeout());
  }

  public void metrics(FerryMetrics m) {
    this.metrics = m;
  }

  HealthRules rules() {
    return new HealthRules(schedule.current().failover());
  }

  public HealthStore store() {
    return store;
  }

  /** Starts ticking; every member does, and only the leader acts. */
  public void start() {
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
    return store.health(registry).map(RegistryHealth::holdsWrites).orElse(null);
  }

  void tick() {
    registerGauges(schedule.current());
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
      probes.add(prober.probe(r, s.failover().probeTimeout()).compose(result -> {
        metrics.probe(r.name(), Duration.ofMillis(result.latencyMillis()), result.ok());
        return store.update(r.name(), h -> rules.afterProbe(h == null ? RegistryHealth.initial(r.name(),
            clock.millis()) : h, result));
      }).compose(change -> recorded(change, SYSTEM)));
    }
    Future.join(probes)
        .transform(v -> steps(s, rules))
        .transform(v -> refreshRoutes(s))
        .onComplete(ar -> {
          ticking = false;
          if (ar.failed()) {
            LOG.warn("failover tick failed: {}", ar.cause().toString());
          }
        });
  }

  /** Audits and counts what a change of a health entry means. */
  Future<Void> recorded(HealthStore.Change change, String actor) {
    RegistryHealth before = change.before();
    RegistryHealth after = change.after();
    if (after == null || (before != null && before.state() == after.state() && before.inRoutes() == after.inRoutes())) {
      return Future.succeededFuture();
    }
    Map<String, Object> details = new HashMap<>();
    details.put("from", before == null ? "unknown" : before.state().apiName());
    details.put("to", after.state().apiName());
    details.put("reason", after.reason());
    details.put("inRoutes", after.inRoutes());
    List<Future<Void>> records = new ArrayList<>();
    records.add(audit.record(actor, "registry.state", "registry/" + after.name(), details));
    if (before != null && before.inRoutes() && !after.inRoutes()) {
      String mode = after.manual() == null ? "auto" : after.manual().mode();
      metrics.failover(after.name(), mode);
      LOG.info("failover: {} leaves its routes ({}): {}", after.name(), mode, after.reason());
      records.add(audit.record(actor, "registry.failover", "registry/" + after.name(),
          Map.of("mode", mode, "reason", after.reason())));
    }
    LOG.info("registry {} is {} ({}){}", after.name(), after.state().apiName(), after.reason(),
        after.inRoutes() ? "" : ", out of its routes");
    return Future.join(records).mapEmpty();
  }

  private Future<Void> steps(Schedule s, HealthRules rules) {
    long now = clock.millis();
    List<Future<?>> all = new ArrayList<>();
    for (RegistryHealth h : store.allHealth().values()) {
      if (h.manual() != null && Manual.DRILL.equals(h.manual().mode()) && now >= h.manual().until()) {
        all.add(endDrill(h.name(), h.manual().drillId(), rules));
      } else if (h.recovery() != null && stepping.add(h.name())) {
        all.add(step(s, rules, h).onComplete(ar -> stepping.remove(h.name())));
      }
    }
    return Future.join(all).mapEmpty();
  }

  /** Moves one registry's recovery one phase on. */
  private Future<Void> step(Schedule s, HealthRules rules, RegistryHealth h) {
    Recovery r = h.recovery();
    long now = clock.millis();
    switch (r.phase()) {
      case Recovery.PENDING:
        return startCatchUp(s, h.name());
      case Recovery.CATCHING_UP:
        return checkCatchUp(s, h.name(), r);
      case Recovery.VERIFIED:
        if (rules.readyForFailback(h, now)) {
          return failBackNow(h.name(), r.drill() ? "drill" : "auto", SYSTEM, rules);
        }
        return Future.succeededFuture();
      case Recovery.FAILED:
        if (rules.retryDue(h, now)) {
          return store.update(h.name(), cur -> cur == null || cur.recovery() == null ? cur
              : cur.withRecovery(Recovery.pending(now, cur.recovery().drill()))).mapEmpty();
        }
        return Future.succeededFuture();
      default:
        return Future.succeededFuture();
    }
  }

  private Future<Void> startCatchUp(Schedule s, String registry) {
    List<Policy> policies = s.policies().stream().filter(p -> p.targets(registry)).toList();
    long asked = clock.millis();
    boolean[] joined = new boolean[1];
    List<Future<String>> started = new ArrayList<>();
    for (Policy p : policies) {
      started.add(runManager.trigger(p.name(), cur -> cur.narrowedTo(registry, Tier.CRITICAL))
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
      List<String> ids = started.stream().map(f -> f.succeeded() ? f.result() : null)
          .filter(java.util.Objects::nonNull).toList();
      LOG.info("catch-up of {} started: {} run(s) {}", registry, ids.size(), ids);
      return store.update(registry, cur -> cur == null || cur.recovery() == null ? cur
          : cur.withRecovery(cur.recovery().catchingUp(ids, joined[0])))
          .compose(c -> audit.record(SYSTEM, "registry.catchup", "registry/" + registry,
              Map.of("runs", String.join(",", ids), "policies", policies.size())));
    });
  }

  private Future<Void> checkCatchUp(Schedule s, String registry, Recovery r) {
    List<Future<Optional<RunRecord>>> records = r.runs().stream().map(runs::get).toList();
    return Future.all(records).compose(v -> {
      List<RunRecord> got = records.stream().map(Future::result).flatMap(Optional::stream).toList();
      if (got.stream().anyMatch(run -> !run.ended())) {
        return Future.succeededFuture();
      }
      List<String> bad = got.stream().filter(run -> !"succeeded".equals(run.state()))
          .map(run -> run.id() + " " + run.state()).toList();
      if (!bad.isEmpty()) {
        return setPhase(registry, Recovery.FAILED, "catch-up runs did not succeed: " + String.join(", ", bad));
      }
      if (r.joined()) {
        return store.update(registry, cur -> cur == null || cur.recovery() == null ? cur
            : cur.withRecovery(cur.recovery().nextRound())).mapEmpty();
      }
      return verifyDrift(s, registry);
    });
  }

  private Future<Void> verifyDrift(Schedule s, String registry) {
    List<Future<DriftService.Report>> checks = s.policies().stream().filter(p -> p.targets(registry))
        .map(drift::check).toList();
    return Future.join(checks).transform(v -> {
      long drifted = checks.stream().filter(Future::succeeded).flatMap(f -> f.result().drifted().stream())
          .filter(d -> d.registry().equals(registry)).count();
      List<String> failed = checks.stream().filter(Future::failed).map(f -> f.cause().getMessage()).toList();
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
    return store.update(registry, cur -> cur == null || cur.recovery() == null ? cur
        : cur.withRecovery(cur.recovery().phase(phase, now, why)))
        .compose(change -> audit.record(SYSTEM, "registry.catchup." + phase, "registry/" + registry,
            Map.of("detail", why)).map(change.after()))
        .compose(h -> {
          boolean drill = h != null && h.recovery() != null && h.recovery().drill();
          if (!drill) {
            return Future.succeededFuture();
          }
          HealthRules rules = rules();
          // A drill's registry never was unhealthy: once verified, it goes back at once.
          Future<Void> back = Recovery.VERIFIED.equals(phase) && rules.readyForFailback(h, now)
              ? failBackNow(registry, "drill", SYSTEM, rules) : Future.succeededFuture();
          return back.compose(v -> finishDrill(registry, phase, why));
        });
  }

  private Future<Void> failBackNow(String registry, String mode, String actor, HealthRules rules) {
    long now = clock.millis();
    return store.update(registry, cur -> cur == null ? null
        : rules.settle(cur.withManual(null).withRecovery(null), now).withRoutes(true))
        .compose(change -> failedBack(change, mode, actor))
        .compose(v -> refreshRoutes(schedule.current()));
  }

  private Future<Void> failedBack(HealthStore.Change change, String mode, String actor) {
    if (change.before() != null && !change.before().inRoutes() && change.after().inRoutes()) {
      metrics.failback(change.after().name(), mode);
      LOG.info("failback: {} is back in its routes ({})", change.after().name(), mode);
      return audit.record(actor, "registry.failback", "registry/" + change.after().name(), Map.of("mode", mode))
          .compose(v -> recorded(change, actor));
    }
    return recorded(change, actor);
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
      store.update(registry, h -> rules.breakerOpen(h == null ? RegistryHealth.initial(registry, now) : h, worker,
          now)).compose(change -> recorded(change, worker))
          .onFailure(e -> LOG.warn("could not record {}'s open breaker for {}: {}", worker, registry, e.toString()));
    }
  }

  // ---- operator actions (any member) ----

  /** Takes a registry out of service by hand: {@code failover} or {@code drain}. */
  public Future<RegistryHealth> takeOut(String registry, String mode, String reason, String actor) {
    requireRegistry(registry);
    long now = clock.millis();
    HealthRules rules = rules();
    Manual manual = new Manual(mode, actor, reason, now, null, 0);
    return store.update(registry, h -> rules.takeOut(h == null ? RegistryHealth.initial(registry, now) : h, manual,
            now))
        .compose(change -> audit.record(actor, "registry." + mode, "registry/" + registry,
            Map.of("reason", reason == null ? "" : reason)).compose(v -> recorded(change, actor)).map(change.after()))
        .compose(h -> refreshRoutes(schedule.current()).map(h));
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
    }).compose(change -> {
      HealthRules.Failback result = answer[0];
      Future<Void> recorded = result.done()
          ? failedBack(change, force ? "forced" : "manual", actor)
          : audit.record(actor, "registry.failback.refused", "registry/" + registry,
              Map.of("reason", result.message())).compose(v -> recorded(change, actor));
      return recorded.compose(v -> refreshRoutes(schedule.current())).compose(v -> result.done()
          ? Future.succeededFuture(change.after())
          : Future.failedFuture(new dev.ferry.coordinator.service.ApiException(409, "catch_up_pending",
              result.message())));
    });
  }

  /** Starts a drill: the registry is out of service for {@code duration}, then restored and caught up. */
  public Future<DrillReport> startDrill(String registry, Duration duration, String actor) {
    requireRegistry(registry);
    RegistryHealth current = store.health(registry).orElse(RegistryHealth.initial(registry, clock.millis()));
    if (current.manual() != null || current.state() == HealthState.DOWN || !current.inRoutes()) {
      return Future.failedFuture(new dev.ferry.coordinator.service.ApiException(409, "registry_unavailable",
          registry + " is " + current.state().apiName() + (current.inRoutes() ? "" : " and out of its routes")
              + " (" + current.reason() + "); a drill needs a registry in service"));
    }
    long now = clock.millis();
    String id = "drill-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> before = activeByRoute();
    Manual manual = new Manual(Manual.DRILL, actor, "drill " + id, now, id, now + duration.toMillis());
    HealthRules rules = rules();
    return countJobs(registry, JobState.FAILED).compose(failedBefore -> store.update(registry,
            h -> rules.takeOut(h == null ? RegistryHealth.initial(registry, now) : h, manual, now))
        .compose(change -> recorded(change, actor))
        .compose(v -> refreshRoutes(schedule.current()))
        .compose(v -> {
          Map<String, String> after = activeByRoute();
          List<DrillReport.Switch> switched = new ArrayList<>();
          before.forEach((route, was) -> {
            String now2 = after.get(route);
            if (!java.util.Objects.equals(was, now2)) {
              switched.add(new DrillReport.Switch(route, was, now2));
            }
          });
          DrillReport report = new DrillReport(id, registry, actor, now, duration.toMillis(), switched,
              DrillReport.RUNNING, 0, 0, 0, 0, "out of service until " + java.time.Instant.ofEpochMilli(
                  now + duration.toMillis()), failedBefore);
          return putDrill(report).compose(x -> audit.record(actor, "drill.start", "registry/" + registry,
              Map.of("drill", id, "durationSeconds", duration.toSeconds(), "switchedRoutes", switched.size())))
              .map(report);
        }));
  }

  public Future<Optional<DrillReport>> drill(String id) {
    return vertx.executeBlocking(() -> Optional.ofNullable(drills.get(id)), false);
  }

  private Future<Void> endDrill(String registry, String drillId, HealthRules rules) {
    long now = clock.millis();
    return countJobs(registry, JobState.HELD).compose(held -> store.update(registry,
            h -> h == null || h.manual() == null ? h : rules.endDrill(h, now))
        .compose(change -> recorded(change, SYSTEM))
        .compose(v -> drill(drillId))
        .compose(found -> found.map(d -> putDrill(d.ended(now, held))).orElse(Future.succeededFuture()))
        .compose(v -> audit.record(SYSTEM, "drill.restore", "registry/" + registry,
            Map.of("drill", drillId, "heldJobs", held))));
  }

  /** Completes the report of the drill whose catch-up just ended (verified and back, or failed). */
  private Future<Void> finishDrill(String registry, String phase, String why) {
    long now = clock.millis();
    return vertx.executeBlocking(() -> drills.values(Predicates.and(Predicates.equal("registry", registry),
            Predicates.equal("phase", DrillReport.CATCHING_UP))), false)
        .compose(open -> countJobs(registry, JobState.FAILED).compose(failedNow -> {
          List<Future<Void>> done = new ArrayList<>();
          for (DrillReport d : open) {
            DrillReport finished = d.finish(Recovery.VERIFIED.equals(phase) && failedNow - d.failedBefore() <= 0,
                now, failedNow, why);
            done.add(putDrill(finished).compose(v -> audit.record(SYSTEM, "drill.end", "registry/" + registry,
                Map.of("drill", d.id(), "outcome", finished.phase(), "catchUpMillis", finished.catchUpMillis(),
                    "failedJobs", finished.failedJobs()))));
          }
          return Future.join(done).mapEmpty();
        }));
  }

  private Future<Void> putDrill(DrillReport report) {
    return dev.ferry.coordinator.cluster.HzFutures.on(vertx.getOrCreateContext(),
        drills.setAsync(report.id(), report, 7, TimeUnit.DAYS)).mapEmpty();
  }

  private Future<Integer> countJobs(String registry, JobState state) {
    return jobs.query(Predicates.and(Predicates.equal("state", state),
        Predicates.like("key.partition", "%|" + registry + "|%"))).map(java.util.Collection::size);
  }

  private Map<String, String> activeByRoute() {
    Map<String, String> out = new HashMap<>();
    store.allRoutes().forEach((name, view) -> out.put(name, view.active()));
    return out;
  }

  private void requireRegistry(String registry) {
    if (schedule.current().registry(registry).isEmpty()) {
      throw dev.ferry.coordinator.service.ApiException.notFound("registry", registry);
    }
  }

  // ---- routes ----

  /** Recomputes every route from the shared health, the replication lag and the drift found. */
  public Future<Void> refreshRoutes(Schedule s) {
    if (s.routes().isEmpty()) {
      return Future.succeededFuture();
    }
    return lag.refresh().compose(lagByKey -> drift.list(null).map(drifted -> syncByRegistry(s, lagByKey, drifted)))
        .compose(sync -> {
          Map<String, String> urls = new HashMap<>();
          s.registries().forEach(r -> urls.put(r.name(), r.url()));
          Map<String, RegistryHealth> health = store.allHealth();
          long now = clock.millis();
          List<Future<Boolean>> puts = new ArrayList<>();
          for (RouteConfig route : s.routes()) {
            RouteView previous = store.route(route.name()).orElse(null);
            RouteView view = RouteSelector.select(route, health, sync, urls, previous, now);
            if (previous != null && !view.sameChoice(previous)
                && !java.util.Objects.equals(previous.active(), view.active())) {
              LOG.info("route {}: active {} -> {} ({})", route.name(), previous.active(), view.active(), view.reason());
              audit.record(SYSTEM, "route.switch", "route/" + route.name(), Map.of(
                  "from", String.valueOf(previous.active()), "to", String.valueOf(view.active()),
                  "reason", view.reason()));
            }
            if (!view.equals(previous)) {
              puts.add(store.putRoute(view));
            }
          }
          return Future.join(puts).mapEmpty();
        });
  }

  private static Map<String, RouteSelector.Sync> syncByRegistry(Schedule s, Map<String, Double> lagByKey,
      List<Drift> drifted) {
    Map<String, Double> worstLag = new HashMap<>();
    lagByKey.forEach((key, seconds) -> worstLag.merge(key.substring(key.indexOf('|') + 1), seconds, Math::max));
    Map<String, Integer> drifts = new HashMap<>();
    drifted.forEach(d -> drifts.merge(d.registry(), 1, Integer::sum));
    Map<String, RouteSelector.Sync> out = new HashMap<>();
    for (RegistryConfig r : s.registries()) {
      out.put(r.name(), new RouteSelector.Sync(worstLag.getOrDefault(r.name(), 0.0),
          drifts.getOrDefault(r.name(), 0)));
    }
    return out;
  }

  private void registerGauges(Schedule s) {
    for (RegistryConfig r : s.registries()) {
      if (gauges.putIfAbsent("r|" + r.name(), true) == null) {
        for (HealthState state : HealthState.values()) {
          metrics.gauge("ferry.registry.health", "1 for the registry's current health state, 0 for the others",
              () -> store.health(r.name()).map(h -> h.state() == state ? 1 : 0).orElse(0),
              "registry", r.name(), "state", state.apiName());
        }
        metrics.gauge("ferry.registry.in.routes", "1 while the registry may be a route's active mirror",
            () -> store.health(r.name()).map(h -> h.inRoutes() ? 1 : 0).orElse(1), "registry", r.name());
      }
    }
    for (RouteConfig route : s.routes()) {
      if (gauges.putIfAbsent("f|" + route.name(), true) == null) {
        metrics.gauge("ferry.route.failed.over", "1 while the route's active mirror is not its first (preferred) one",
            () -> store.route(route.name()).map(v -> v.candidates().isEmpty()
                || v.candidates().get(0).registry().equals(v.active()) ? 0 : 1).orElse(0), "route", route.name());
      }
      for (String mirror : route.mirrors()) {
        if (gauges.putIfAbsent("a|" + route.name() + "|" + mirror, true) == null) {
          metrics.gauge("ferry.route.active", "1 for the route's active mirror, 0 for its other mirrors",
              () -> store.route(route.name()).map(v -> mirror.equals(v.active()) ? 1 : 0).orElse(0),
              "route", route.name(), "registry", mirror);
        }
      }
    }
  }
}
