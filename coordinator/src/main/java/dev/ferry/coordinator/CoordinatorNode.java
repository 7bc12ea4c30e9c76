package dev.ferry.coordinator;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmScope;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.coordinator.api.AdminOps;
import dev.ferry.coordinator.api.BearerAuth;
import dev.ferry.coordinator.api.ControlApi;
import dev.ferry.coordinator.security.AdminService;
import dev.ferry.coordinator.security.ApiSecurity;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import dev.ferry.coordinator.api.ControlApiServer;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.audit.HazelcastLedger;
import dev.ferry.coordinator.audit.LedgerKey;
import dev.ferry.coordinator.event.EventTriggers;
import dev.ferry.coordinator.event.RegistryEvents;
import dev.ferry.coordinator.event.WebhookAuth;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.pull.Prewarm;
import dev.ferry.coordinator.pull.PullCounts;
import dev.ferry.coordinator.pull.PullRecorder;
import dev.ferry.coordinator.history.DeletePropagation;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.history.PinStore;
import dev.ferry.coordinator.history.Rollbacks;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TtlExpiry;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.job.JobIndexer;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.ReplicationLag;
import dev.ferry.coordinator.quota.LinkQuotas;
import dev.ferry.coordinator.quota.WorkerShares;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.lease.LeaseService;
import dev.ferry.coordinator.lease.LeaseSettings;
import dev.ferry.coordinator.lease.ReadyIndex;
import dev.ferry.coordinator.lease.RemoteLeases;
import dev.ferry.coordinator.plan.Plan;
import dev.ferry.coordinator.plan.PlannedJob;
import dev.ferry.coordinator.plan.Planner;
import dev.ferry.coordinator.plan.RegistryStores;
import dev.ferry.coordinator.run.PolicyTriggers;
import dev.ferry.coordinator.run.RunManager;
import dev.ferry.coordinator.run.RunStore;
import dev.ferry.coordinator.service.ClusterCoordinator;
import dev.ferry.coordinator.service.CoordinatorService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One coordinator member, assembled: job store and index on the Hazelcast member, leases,
 * runs and triggers, the planner with its registry clients, and the control API.
 */
public final class CoordinatorNode {

  private final Vertx vertx;
  private final ReloadableSchedule schedule;
  private final Clock clock;
  /** The schedule file compliance reports audit; null without one. Set before the API starts. */
  private Path scheduleFile;
  private final JobIndexer indexer;
  private final LeaseService leases;
  private final RegistryStores registries;
  private final PolicyTriggers triggers;
  private final CoordinatorService service;
  private HttpServer server;

  /** How often the replication lag gauges are recomputed. */
  static final long LAG_REFRESH_MILLIS = 15_000;

  private final TagHistory history;
  private final PinStore pins;
  private final FerryMetrics metrics;
  private final ReplicationLag lag;
  private final LinkQuotas quotas;
  private final WorkerShares workerShares;
  private final HazelcastLedger ledger;
  private long lagTimer = -1;
  private final dev.ferry.coordinator.health.HealthStore healthStore;
  private final dev.ferry.coordinator.health.FailoverMonitor failover;
  private volatile boolean triggersArmed;

  private CoordinatorNode(Vertx vertx, HazelcastInstance hazelcast, Schedule initial, Path dataDir, Clock clock,
      LedgerKey ledgerKey, FerryMetrics metrics0) {
    this.vertx = vertx;
    this.clock = clock;
    this.ledger = new HazelcastLedger(hazelcast, vertx, clock, ledgerKey, dataDir,
        HazelcastLedger.DEFAULT_CHECKPOINT_EVERY);
    this.schedule = new ReloadableSchedule(initial);
    JobStore jobs = new JobStore(hazelcast, vertx, clock, Backoff.defaults(), Duration.ofHours(1));
    // A worker is served jobs for target registries in its own region first; each target
    // repository takes up to its registry's maxConcurrencyPerRepository jobs at once.
    ReadyIndex index = new ReadyIndex(registry -> schedule.current().registry(registry)
        .map(dev.ferry.config.model.RegistryConfig::region).orElse(null),
        new dev.ferry.coordinator.lease.RepositoryCaps(schedule::current));
    this.indexer = new JobIndexer(hazelcast, jobs.map(), index);
    this.leases = new LeaseService(vertx, jobs, index, clock, LeaseSettings.defaults());
    RunStore runs = new RunStore(hazelcast, vertx);
    SecretResolver secrets = new SecretResolver(System::getenv, initial.baseDirectory());
    this.registries = new RegistryStores(vertx, initial, secrets);
    Planner planner = new Planner(vertx, initial, registries);
    this.history = new TagHistory(hazelcast, vertx, dataDir);
    history.audit(ledger);
    this.pins = new PinStore(hazelcast, vertx, dataDir);
    DeletePropagation deletes = new DeletePropagation(history, pins, registries, clock);
    // A pinned tag is left as it is: its plan drops the job and counts the tag as up to date.
    // With propagateDeletes, the run also deletes target tags whose source tag is gone.
    PullCounts pullCounts = new PullCounts(vertx, hazelcast, clock, PullCounts.DEFAULT_HALF_LIFE);
    Prewarm prewarm = new Prewarm(pullCounts, clock);
    TtlExpiry expiry = new TtlExpiry(history, pins, registries, pullCounts::lastPulls, ledger,
        this::metrics, clock);
    // A pre-warming policy plans, deletes and expires only at the targets it warms (route tiers);
    // pulls at all its targets still rank its tags.
    RunManager runManager = new RunManager(vertx, runs, jobs, (policy, runId) -> {
      Policy warmed = PrewarmScope.narrow(policy, schedule.current().routes());
      return planner.plan(warmed, runId)
          .compose(plan -> prewarm.apply(policy, plan))
          .compose(plan -> pins.pinnedKeys().map(pinned -> withoutPinned(plan, pinned)))
          .compose(plan -> deletes.run(warmed, runId).map(d -> withErrors(plan, d.failed())))
          .compose(plan -> expiry.run(warmed, runId).map(x -> withErrors(plan, x.failed())));
    }, name -> schedule.current().policy(name).orElse(null), clock, 500);
    runManager.audit(ledger);
    Rollbacks rollbacks = new Rollbacks(schedule, history, pins, jobs, registries, clock);
    DriftService drift = new DriftService(hazelcast, vertx, history, pins, registries, rollbacks, clock);
    this.triggers = new PolicyTriggers(vertx, hazelcast.getCluster(), runManager, clock, drift::check);
    LeaseSettings leaseSettings = leases.settings();
    this.workerShares = new WorkerShares(vertx, hazelcast, clock);
    this.quotas = new LinkQuotas(vertx, hazelcast, schedule, leaseSettings.tierWeights(), clock,
        leaseSettings.quotaRenewInterval().toMillis(), leaseSettings.ttl().toMillis());
    EventTriggers eventTriggers = new EventTriggers(schedule::current, runManager::trigger,
        new PullRecorder(pullCounts, history, schedule::current, this::metrics));
    RegistryEvents events = new RegistryEvents(vertx, new WebhookAuth(schedule::current, secrets), eventTriggers);
    ClusterCoordinator coordinator = new ClusterCoordinator(hazelcast, schedule, jobs, runs, runManager, leases,
        history, pins, rollbacks, drift, quotas, workerShares, clock, events,
        new dev.ferry.coordinator.job.TagWriters(hazelcast, vertx));
    this.service = coordinator;
    this.healthStore = new dev.ferry.coordinator.health.HealthStore(hazelcast, vertx);
    this.lag = new ReplicationLag(jobs.map(), vertx, clock, metrics0);
    this.failover = new dev.ferry.coordinator.health.FailoverMonitor(vertx, hazelcast, schedule, healthStore,
        runManager, runs, drift, lag, jobs, ledger, clock);
    leases.holdWrites(failover::holdsWrites, initial.failover().probeInterval().toMillis());
    planner.holdWrites(failover::holdsWrites);
    coordinator.audit(ledger);
    coordinator.useFailover(failover, new dev.ferry.coordinator.health.RouteWatch(vertx, healthStore));
    this.metrics = metrics0;
    failover.metrics(metrics);
    ledger.metrics(metrics);
    leases.metrics(metrics);
    coordinator.metrics(metrics);
    history.metrics(metrics);
    drift.metrics(metrics);
    runManager.metrics(metrics);
    registries.observers(name -> dev.ferry.worker.lease.RegistryRequestMeters.of(metrics.registry(), name));
    metrics.gauge("ferry.cluster.members", "Members of the coordinator cluster this member sees",
        () -> hazelcast.getCluster().getMembers().size());
    metrics.gauge("ferry.jobs.ready", "Jobs ready to lease on this member's partitions", index::readyCount);
    metrics.gauge("ferry.leases.active", "Jobs leased from this member's partitions", index::inFlightCount);
    quotas.metrics(metrics);
    quotas.audit(ledger);
    hazelcast.getPartitionService().addMigrationListener(indexer);
    hazelcast.getPartitionService().addMigrationListener(new dev.ferry.coordinator.metrics.MigrationMeter(metrics));
    dev.ferry.coordinator.metrics.KnownSeries.register(metrics, schedule.current());
    RemoteLeases remote = new RemoteLeases(hazelcast, vertx);
    remote.register(leases);
    leases.useRemote(remote);
  }

  /**
   * Starts a member on a running Hazelcast instance with an unauthenticated plain-HTTP API
   * (tests). Blocking parts (reading this member's tag history file, indexing what it owns)
   * run off the event loop.
   *
   * @param dataDir where this member keeps its files (the tag history, the audit ledger and its
   *     key); null for none: the ledger is then kept in the cluster only, signed by a key made
   *     for this run
   */
  public static Future<CoordinatorNode> start(Vertx vertx, HazelcastInstance hazelcast, Schedule schedule,
      Path dataDir, String apiHost, int apiPort, Clock clock) {
    return start(vertx, hazelcast, schedule, dataDir, new HttpServerOptions().setHost(apiHost).setPort(apiPort),
        List.of(), null, clock, FerryMetrics.prometheus());
  }

  /**
   * Starts a member whose API is secured by {@code security} (TLS, tokens, dev mode).
   *
   * @param scheduleFile the file {@code POST /v1/config/reload} reads again, or null
   * @param metrics the registry {@code GET /metrics} exposes; the one {@code vertx} reports into
   *     (see {@link dev.ferry.coordinator.metrics.VertxMeters}), so Vert.x's meters show too
   */
  public static Future<CoordinatorNode> start(Vertx vertx, HazelcastInstance hazelcast, Schedule schedule,
      Path dataDir, ApiSecurity security, Path scheduleFile, Clock clock, FerryMetrics metrics) {
    BearerAuth auth = new BearerAuth(security.authenticator(), security.mutualTls());
    return start(vertx, hazelcast, schedule, dataDir, security.serverOptions(), List.of(auth),
        node -> {
          node.scheduleFile = scheduleFile; // what compliance reports run the config audit on
          return new AdminService(vertx, security, node.schedule,
              scheduleFile == null ? null : () -> ScheduleLoader.load(scheduleFile), node.ledger, clock,
              node::rearmTriggers);
        }, clock, metrics);
  }

  /**
   * Starts a member that serves no control API: a one-shot {@code standalone --once}, whose
   * in-process worker reaches it directly and which nobody else talks to.
   */
  public static Future<CoordinatorNode> startWithoutApi(Vertx vertx, HazelcastInstance hazelcast, Schedule schedule,
      Path dataDir, Clock clock, FerryMetrics metrics) {
    return start(vertx, hazelcast, schedule, dataDir, null, List.of(), null, clock, metrics);
  }

  /** @param apiOptions null: no control API */
  private static Future<CoordinatorNode> start(Vertx vertx, HazelcastInstance hazelcast, Schedule schedule,
      Path dataDir, HttpServerOptions apiOptions, List<Handler<RoutingContext>> authHooks,
      java.util.function.Function<CoordinatorNode, AdminOps> admin, Clock clock, FerryMetrics metrics) {
    return vertx.executeBlocking(() -> dataDir == null ? LedgerKey.generate()
        : LedgerKey.loadOrCreate(dataDir.resolve(LedgerKey.FILE_NAME)))
        .compose(key -> {
          CoordinatorNode node = new CoordinatorNode(vertx, hazelcast, schedule, dataDir, clock, key, metrics);
          AdminOps ops = admin == null ? AdminOps.unavailable() : admin.apply(node);
          return start(node, apiOptions, authHooks, ops);
        });
  }

  private static Future<CoordinatorNode> start(CoordinatorNode node, HttpServerOptions apiOptions,
      List<Handler<RoutingContext>> authHooks, AdminOps ops) {
    Vertx vertx = node.vertx;
    return vertx.executeBlocking(() -> {
      node.ledger.load();
      node.history.load();
      node.pins.load();
      node.indexer.start();
      node.healthStore.load();
      return null;
    }).compose(v -> node.ledger.recordBreaks()).compose(v -> node.quotas.start()).compose(v -> {
      node.workerShares.start();
      node.leases.start();
      node.failover.start();
      node.lagTimer = vertx.setPeriodic(LAG_REFRESH_MILLIS, id -> node.lag.refresh());
      if (apiOptions == null) {
        return Future.<HttpServer>succeededFuture(null);
      }
      return ControlApiServer.start(vertx, new ControlApi(node.service, authHooks, ops, apiOptions.getHost())
          .audit(node.ledger, node.ledger).ledgerHealth(node.ledger::health)
          .reports(new dev.ferry.coordinator.report.LedgerReports(vertx, node.ledger, node.service,
              node.schedule::current, node.scheduleFile, node.clock))
          .router(vertx), apiOptions);
    }).map(server -> {
      node.server = server;
      return node;
    });
  }

  private static Plan withErrors(Plan plan, List<String> more) {
    return more.isEmpty() ? plan : new Plan(plan.policy(), plan.runId(), plan.jobs(), plan.upToDate(),
        java.util.stream.Stream.concat(plan.errors().stream(), more.stream()).toList());
  }

  private static Plan withoutPinned(Plan plan, java.util.Set<String> pinned) {
    if (pinned.isEmpty()) {
      return plan;
    }
    List<PlannedJob> kept = plan.jobs().stream()
        .filter(j -> !pinned.contains(TagHistory.key(j.targetRegistry(), j.targetRepository(), j.tag()))).toList();
    return new Plan(plan.policy(), plan.runId(), kept, plan.upToDate() + plan.jobs().size() - kept.size(),
        plan.errors());
  }

  /** This member's metrics; in-process workers add theirs. */
  public FerryMetrics metrics() {
    return metrics;
  }

  /** The audit ledger: where this member's critical actions are recorded. */
  public AuditTrail audit() {
    return ledger;
  }

  public CoordinatorService service() {
    return service;
  }

  /** The control API's port; -1 when this member serves none. */
  public int apiPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Arms interval and cron triggers (not in {@code --once} mode). */
  public void armTriggers() {
    triggersArmed = true;
    triggers.arm(schedule.current());
  }

  /** After a reload: triggers follow the new schedule, if they were armed; its new series exist at 0. */
  private void rearmTriggers(Schedule next) {
    dev.ferry.coordinator.metrics.KnownSeries.register(metrics, next);
    if (triggersArmed) {
      triggers.disarm();
      triggers.arm(next);
    }
  }

  public Future<Void> stop() {
    if (lagTimer >= 0) {
      vertx.cancelTimer(lagTimer);
    }
    triggers.disarm();
    leases.stop();
    Future<Void> health = failover.stop().compose(v -> vertx.executeBlocking(() -> {
      healthStore.close();
      return null;
    }, false));
    quotas.stop();
    workerShares.stop();
    indexer.stop();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.compose(v -> health.otherwiseEmpty()).compose(v -> ledger.close()).compose(v -> registries.close()).compose(v -> history.close()).compose(v -> pins.close());
  }
}
