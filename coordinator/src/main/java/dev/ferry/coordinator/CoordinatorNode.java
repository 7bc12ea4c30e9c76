package dev.ferry.coordinator;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.coordinator.api.ApiServices;
import dev.ferry.coordinator.api.BearerAuth;
import dev.ferry.coordinator.api.ControlApi;
import dev.ferry.coordinator.api.ControlApiServer;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.audit.HazelcastLedger;
import dev.ferry.coordinator.audit.LedgerKey;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.event.EventTriggers;
import dev.ferry.coordinator.event.RegistryEvents;
import dev.ferry.coordinator.event.WebhookAuth;
import dev.ferry.coordinator.health.ClusterHealth;
import dev.ferry.coordinator.health.FailoverMonitor;
import dev.ferry.coordinator.health.HealthService;
import dev.ferry.coordinator.health.HealthStore;
import dev.ferry.coordinator.health.RouteWatch;
import dev.ferry.coordinator.history.ClusterHistory;
import dev.ferry.coordinator.history.DeletePropagation;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.history.PinStore;
import dev.ferry.coordinator.history.Rollbacks;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TagRecords;
import dev.ferry.coordinator.history.TtlExpiry;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.job.JobIndexer;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.job.TagWriters;
import dev.ferry.coordinator.lease.ClusterLeases;
import dev.ferry.coordinator.lease.Completions;
import dev.ferry.coordinator.lease.LeaseService;
import dev.ferry.coordinator.lease.LeaseSettings;
import dev.ferry.coordinator.lease.Leases;
import dev.ferry.coordinator.lease.ReadyIndex;
import dev.ferry.coordinator.lease.RemoteLeases;
import dev.ferry.coordinator.lease.RepositoryCaps;
import dev.ferry.coordinator.lease.SeenWorkers;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.metrics.KnownSeries;
import dev.ferry.coordinator.metrics.MigrationMeter;
import dev.ferry.coordinator.metrics.ReplicationLag;
import dev.ferry.coordinator.metrics.WorkerLoad;
import dev.ferry.coordinator.plan.PlanPipeline;
import dev.ferry.coordinator.plan.Planner;
import dev.ferry.coordinator.plan.RegistryStores;
import dev.ferry.coordinator.preview.HistoryRecords;
import dev.ferry.coordinator.preview.PlanPreview;
import dev.ferry.coordinator.preview.PolicyPreview;
import dev.ferry.coordinator.preview.WriteRecords;
import dev.ferry.coordinator.pull.Prewarm;
import dev.ferry.coordinator.pull.PullCounts;
import dev.ferry.coordinator.pull.PullRecorder;
import dev.ferry.coordinator.quota.LinkQuotas;
import dev.ferry.coordinator.quota.WorkerShares;
import dev.ferry.coordinator.report.LedgerReports;
import dev.ferry.coordinator.run.ClusterRuns;
import dev.ferry.coordinator.run.PolicyTriggers;
import dev.ferry.coordinator.run.RunManager;
import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.run.RunStore;
import dev.ferry.coordinator.security.AdminOps;
import dev.ferry.coordinator.security.AdminService;
import dev.ferry.coordinator.security.ApiSecurity;
import dev.ferry.coordinator.status.ClusterStatus;
import dev.ferry.worker.lease.RegistryRequestMeters;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One coordinator member, assembled: job store and index on the Hazelcast member, leases,
 * runs and triggers, the planner with its registry clients, and the control API.
 *
 * <p>It only wires: every part gets its dependencies (metrics, the audit ledger, write holds)
 * through its constructor, in the order they depend on each other, so none can be forgotten.
 * That wiring, one line per part, is why this class runs a little over 300 lines.
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
    /** How often a member looks for runs whose member left the cluster (see RunManager#adoptOrphans). */
    private static final long ORPHAN_RUN_LOOK_MILLIS = 5_000;

    private final long orphanRuns;
    private final ApiServices services;
    private final RunService runService;
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
    private final HealthStore healthStore;
    private final FailoverMonitor failover;
    private volatile boolean triggersArmed;

    private CoordinatorNode(
            Vertx vertx,
            HazelcastInstance hazelcast,
            Schedule initial,
            Path dataDir,
            Clock clock,
            LedgerKey ledgerKey,
            FerryMetrics metrics) {
        this.vertx = vertx;
        this.clock = clock;
        this.metrics = metrics;
        this.ledger = new HazelcastLedger(
                hazelcast, vertx, clock, ledgerKey, dataDir, HazelcastLedger.DEFAULT_CHECKPOINT_EVERY, metrics);
        this.schedule = new ReloadableSchedule(initial);
        this.healthStore = new HealthStore(hazelcast, vertx);
        JobStore jobs = new JobStore(hazelcast, vertx, clock, Backoff.defaults(), Duration.ofHours(1));
        // A worker is served jobs for target registries in its own region first; each target
        // repository takes up to its registry's maxConcurrencyPerRepository jobs at once.
        ReadyIndex index = new ReadyIndex(
                registry -> schedule.current()
                        .registry(registry)
                        .map(RegistryConfig::region)
                        .orElse(null),
                new RepositoryCaps(schedule::current));
        this.indexer = new JobIndexer(hazelcast, jobs.map(), index);
        RemoteLeases remote = new RemoteLeases(hazelcast, vertx);
        // Jobs whose target registry takes no writes (down, out of service) are held, not leased.
        this.leases = new LeaseService(
                vertx,
                jobs,
                index,
                clock,
                LeaseSettings.defaults(),
                metrics,
                remote,
                healthStore::holdsWrites,
                initial.failover().probeInterval().toMillis());
        remote.register(leases);
        RunStore runs = new RunStore(hazelcast, vertx);
        SecretResolver secrets = new SecretResolver(System::getenv, initial.baseDirectory());
        this.registries =
                new RegistryStores(vertx, initial, secrets, name -> RegistryRequestMeters.of(metrics.registry(), name));
        this.history = new TagHistory(hazelcast, vertx, dataDir, ledger, metrics);
        TagRecords tagRecords = new TagRecords(hazelcast, vertx, history);
        // Within each target's recheck period, Ferry's records stand in for a HEAD per tag.
        Planner planner = new Planner(
                vertx,
                initial,
                registries,
                Planner.DEFAULT_CALLS_PER_REGISTRY,
                healthStore::holdsWrites,
                tagRecords,
                clock);
        this.pins = new PinStore(hazelcast, vertx, dataDir);
        DeletePropagation deletes = new DeletePropagation(history, pins, registries, clock);
        PullCounts pullCounts = new PullCounts(vertx, hazelcast, clock, PullCounts.DEFAULT_HALF_LIFE);
        Prewarm prewarm = new Prewarm(pullCounts, clock);
        TtlExpiry expiry =
                new TtlExpiry(history, pins, registries, pullCounts::lastPulls, ledger, this::metrics, clock);
        WriteRecords records = new HistoryRecords(history, pins, pullCounts::lastPulls);
        Function<String, Future<PolicyPreview>> previews = name -> {
            Schedule now = schedule.current();
            return now.policy(name)
                    .map(p -> new PlanPreview(
                                    now,
                                    new Planner(vertx, now, registries, registry -> null),
                                    registries,
                                    records,
                                    clock)
                            .preview(p))
                    .orElseGet(() -> Future.failedFuture(ApiException.notFound("policy", name)));
        };
        PlanPipeline pipeline = new PlanPipeline(
                () -> schedule.current().routes(),
                planner::plan,
                prewarm::apply,
                () -> pins.pinnedKeys()
                        .map(keys -> job ->
                                keys.contains(TagHistory.key(job.targetRegistry(), job.targetRepository(), job.tag()))),
                (policy, runId) -> deletes.run(policy, runId).map(DeletePropagation.Result::failed),
                (policy, runId) -> expiry.run(policy, runId).map(TtlExpiry.Result::failed));
        RunManager runManager = new RunManager(
                vertx,
                runs,
                jobs,
                pipeline::plan,
                name -> schedule.current().policy(name).orElse(null),
                clock,
                500,
                ledger,
                metrics);
        Rollbacks rollbacks = new Rollbacks(schedule, history, pins, jobs, registries, clock);
        DriftService drift =
                new DriftService(hazelcast, vertx, history, tagRecords, pins, registries, rollbacks, clock, metrics);
        this.triggers = new PolicyTriggers(vertx, hazelcast.getCluster(), runManager, clock, drift::check);
        this.orphanRuns = runManager.adoptOrphansEvery(ORPHAN_RUN_LOOK_MILLIS);
        LeaseSettings leaseSettings = leases.settings();
        this.workerShares = new WorkerShares(vertx, hazelcast, clock);
        this.quotas = new LinkQuotas(
                vertx,
                hazelcast,
                schedule,
                leaseSettings.tierWeights(),
                clock,
                leaseSettings.quotaRenewInterval().toMillis(),
                leaseSettings.ttl().toMillis(),
                metrics,
                ledger);
        EventTriggers eventTriggers = new EventTriggers(
                schedule::current,
                runManager::trigger,
                new PullRecorder(pullCounts, history, schedule::current, this::metrics));
        RegistryEvents events = new RegistryEvents(vertx, new WebhookAuth(schedule::current, secrets), eventTriggers);
        this.lag = new ReplicationLag(jobs.map(), vertx, clock, metrics);
        this.failover = new FailoverMonitor(
                vertx, hazelcast, schedule, healthStore, runManager, runs, drift, lag, jobs, ledger, clock, metrics);
        HealthService health = new ClusterHealth(schedule, failover, healthStore, new RouteWatch(vertx, healthStore));
        SeenWorkers seen = new SeenWorkers();
        Leases protocol = new ClusterLeases(
                schedule,
                jobs,
                leases,
                new TagWriters(hazelcast, vertx),
                history,
                quotas,
                workerShares,
                new WorkerLoad(metrics.registry(), clock),
                seen,
                failover::breakersOpen,
                new Completions(schedule, history, runManager, ledger, metrics, clock),
                clock);
        this.runService = new ClusterRuns(schedule, jobs, runs, runManager);
        this.services = new ApiServices(
                new ClusterStatus(hazelcast, schedule, jobs, runs, health, seen),
                runService,
                protocol,
                new ClusterHistory(schedule, history, pins, rollbacks, drift, clock),
                quotas,
                health,
                events,
                metrics::scrape,
                previews);
        ledger.registerGauges();
        metrics.gauge(
                "ferry.cluster.members",
                "Members of the coordinator cluster this member sees",
                () -> hazelcast.getCluster().getMembers().size());
        metrics.gauge("ferry.jobs.ready", "Jobs ready to lease on this member's partitions", index::readyCount);
        metrics.gauge("ferry.leases.active", "Jobs leased from this member's partitions", index::inFlightCount);
        hazelcast.getPartitionService().addMigrationListener(indexer);
        hazelcast.getPartitionService().addMigrationListener(new MigrationMeter(metrics));
        KnownSeries.register(metrics, schedule.current());
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
    public static Future<CoordinatorNode> start(
            Vertx vertx,
            HazelcastInstance hazelcast,
            Schedule schedule,
            Path dataDir,
            String apiHost,
            int apiPort,
            Clock clock) {
        return start(
                vertx,
                hazelcast,
                schedule,
                dataDir,
                new HttpServerOptions().setHost(apiHost).setPort(apiPort),
                List.of(),
                null,
                clock,
                FerryMetrics.prometheus());
    }

    /**
     * Starts a member whose API is secured by {@code security} (TLS, tokens, dev mode).
     *
     * @param scheduleFile the file {@code POST /v1/config/reload} reads again, or null
     * @param metrics the registry {@code GET /metrics} exposes; the one {@code vertx} reports into
     *     (see {@link dev.ferry.coordinator.metrics.VertxMeters}), so Vert.x's meters show too
     */
    public static Future<CoordinatorNode> start(
            Vertx vertx,
            HazelcastInstance hazelcast,
            Schedule schedule,
            Path dataDir,
            ApiSecurity security,
            Path scheduleFile,
            Clock clock,
            FerryMetrics metrics) {
        BearerAuth auth = new BearerAuth(security.authenticator(), security.mutualTls());
        return start(
                vertx,
                hazelcast,
                schedule,
                dataDir,
                security.serverOptions(),
                List.of(auth),
                node -> {
                    node.scheduleFile = scheduleFile; // what compliance reports run the config audit on
                    return new AdminService(
                            vertx,
                            security,
                            node.schedule,
                            scheduleFile == null ? null : () -> ScheduleLoader.load(scheduleFile),
                            node.ledger,
                            clock,
                            node::rearmTriggers);
                },
                clock,
                metrics);
    }

    /**
     * Starts a member that serves no control API: a one-shot {@code standalone --once}, whose
     * in-process worker reaches it directly and which nobody else talks to.
     */
    public static Future<CoordinatorNode> startWithoutApi(
            Vertx vertx,
            HazelcastInstance hazelcast,
            Schedule schedule,
            Path dataDir,
            Clock clock,
            FerryMetrics metrics) {
        return start(vertx, hazelcast, schedule, dataDir, null, List.of(), null, clock, metrics);
    }

    /** @param apiOptions null: no control API */
    private static Future<CoordinatorNode> start(
            Vertx vertx,
            HazelcastInstance hazelcast,
            Schedule schedule,
            Path dataDir,
            HttpServerOptions apiOptions,
            List<Handler<RoutingContext>> authHooks,
            Function<CoordinatorNode, AdminOps> admin,
            Clock clock,
            FerryMetrics metrics) {
        return vertx.executeBlocking(() -> dataDir == null
                        ? LedgerKey.generate()
                        : LedgerKey.loadOrCreate(dataDir.resolve(LedgerKey.FILE_NAME)))
                .compose(key -> {
                    CoordinatorNode node =
                            new CoordinatorNode(vertx, hazelcast, schedule, dataDir, clock, key, metrics);
                    AdminOps ops = admin == null ? AdminOps.unavailable() : admin.apply(node);
                    return start(node, apiOptions, authHooks, ops);
                });
    }

    private static Future<CoordinatorNode> start(
            CoordinatorNode node, HttpServerOptions apiOptions, List<Handler<RoutingContext>> authHooks, AdminOps ops) {
        Vertx vertx = node.vertx;
        return vertx.executeBlocking(() -> {
                    node.ledger.load();
                    node.history.load();
                    node.pins.load();
                    node.indexer.start();
                    node.healthStore.load();
                    return null;
                })
                .compose(v -> node.ledger.recordBreaks())
                .compose(v -> node.quotas.start())
                .compose(v -> {
                    node.workerShares.start();
                    node.leases.start();
                    node.failover.start();
                    node.lagTimer = vertx.setPeriodic(LAG_REFRESH_MILLIS, id -> node.lag.refresh());
                    if (apiOptions == null) {
                        return Future.<HttpServer>succeededFuture(null);
                    }
                    return ControlApiServer.start(
                            vertx,
                            new ControlApi(
                                            node.services,
                                            authHooks,
                                            ops,
                                            apiOptions.getHost(),
                                            new ControlApi.Ledger(
                                                    node.ledger,
                                                    node.ledger,
                                                    node.ledger::health,
                                                    new LedgerReports(
                                                            vertx,
                                                            node.ledger,
                                                            node.runService,
                                                            node.services.history(),
                                                            node.schedule::current,
                                                            node.scheduleFile,
                                                            node.clock)))
                                    .router(vertx),
                            apiOptions);
                })
                .map(server -> {
                    node.server = server;
                    return node;
                });
    }

    /** This member's metrics; in-process workers add theirs. */
    public FerryMetrics metrics() {
        return metrics;
    }

    /** The audit ledger: where this member's critical actions are recorded. */
    public AuditTrail audit() {
        return ledger;
    }

    /** The lease protocol, for a worker in this process ({@code ferry standalone}). */
    public Leases leases() {
        return services.leases();
    }

    /** Policies and runs, for {@code ferry standalone}'s one-shot syncs. */
    public RunService runs() {
        return runService;
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
        KnownSeries.register(metrics, next);
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
        vertx.cancelTimer(orphanRuns);
        leases.stop();
        Future<Void> health = failover.stop()
                .compose(v -> vertx.executeBlocking(
                        () -> {
                            healthStore.close();
                            return null;
                        },
                        false));
        quotas.stop();
        workerShares.stop();
        indexer.stop();
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> health.otherwiseEmpty())
                .compose(v -> ledger.close())
                .compose(v -> registries.close())
                .compose(v -> history.close())
                .compose(v -> pins.close());
    }
}
