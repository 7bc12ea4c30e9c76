package dev.ferry.coordinator.service;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.Policy;
import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.conflict.ConflictRule;
import dev.ferry.coordinator.history.Drift;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.history.Pin;
import dev.ferry.coordinator.history.PinStore;
import dev.ferry.coordinator.history.Rollbacks;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TagWrite;
import dev.ferry.coordinator.health.DrillReport;
import dev.ferry.coordinator.health.FailoverMonitor;
import dev.ferry.coordinator.health.RegistryHealth;
import dev.ferry.coordinator.health.RouteView;
import dev.ferry.coordinator.health.RouteWatch;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.job.TagWriters;
import dev.ferry.coordinator.job.LeaseIds;
import dev.ferry.coordinator.lease.LeaseService;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.quota.LinkQuotas;
import dev.ferry.coordinator.quota.WorkerShares;
import dev.ferry.coordinator.run.PolicyState;
import dev.ferry.coordinator.run.RunManager;
import dev.ferry.coordinator.run.RunRecord;
import dev.ferry.coordinator.run.RunStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A coordinator member's answers to the control API, over the cluster's shared state. */
public final class ClusterCoordinator implements CoordinatorService {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterCoordinator.class);
  private volatile dev.ferry.coordinator.metrics.WorkerLoad workerLoad =
      new dev.ferry.coordinator.metrics.WorkerLoad(new io.micrometer.core.instrument.composite.CompositeMeterRegistry(),
          Clock.systemUTC());

  private final HazelcastInstance hazelcast;
  private final ReloadableSchedule schedule;
  private final JobStore jobs;
  private final RunStore runs;
  private final RunManager runManager;
  private final LeaseService leases;
  private final TagWriters writers;
  private final Clock clock;
  private final TagHistory history;
  private final PinStore pins;
  private final Rollbacks rollbacks;
  private final DriftService drift;
  private final LinkQuotas quotas;
  private final WorkerShares workerShares;
  private final dev.ferry.coordinator.event.RegistryEvents events;
  private volatile FerryMetrics metrics = FerryMetrics.none();
  private volatile FailoverMonitor failover;
  private volatile RouteWatch routeWatch;
  private volatile AuditTrail audit = AuditTrail.logging();
  private final Map<String, Views.Worker> workers = new ConcurrentHashMap<>();

  public ClusterCoordinator(HazelcastInstance hazelcast, ReloadableSchedule schedule, JobStore jobs, RunStore runs,
      RunManager runManager, LeaseService leases, TagHistory history, PinStore pins, Rollbacks rollbacks,
      DriftService drift, LinkQuotas quotas, WorkerShares workerShares, Clock clock,
      dev.ferry.coordinator.event.RegistryEvents events, TagWriters writers) {
    this.events = events;
    this.writers = writers;
    this.drift = drift;
    this.quotas = quotas;
    this.workerShares = workerShares;
    this.hazelcast = hazelcast;
    this.history = history;
    this.pins = pins;
    this.rollbacks = rollbacks;
    this.schedule = schedule;
    this.jobs = jobs;
    this.runs = runs;
    this.runManager = runManager;
    this.leases = leases;
    this.clock = clock;
  }

  public void metrics(FerryMetrics m) {
    this.metrics = m;
    this.workerLoad = new dev.ferry.coordinator.metrics.WorkerLoad(m.registry(), clock);
  }

  /** Health, failover and routes; set once while the member is assembled. */
  public void useFailover(FailoverMonitor monitor, RouteWatch watch) {
    this.failover = monitor;
    this.routeWatch = watch;
  }

  /** Where critical decisions reported by workers (signature rejections) are recorded. */
  public void audit(AuditTrail trail) {
    this.audit = trail;
  }

  @Override
  public String metricsText() {
    return metrics.scrape();
  }

  @Override
  public boolean ready() {
    return hazelcast.getLifecycleService().isRunning() && schedule.current() != null;
  }

  @Override
  public Future<Views.Status> status() {
    List<String> members = hazelcast.getCluster().getMembers().stream().map(m -> m.getAddress().toString()).toList();
    return jobs.query(com.hazelcast.query.Predicates.alwaysTrue()).compose(all -> {
      Map<String, Map<String, Integer>> queues = new LinkedHashMap<>();
      for (Job j : all) {
        queues.computeIfAbsent(j.tier(), t -> new LinkedHashMap<>()).merge(j.state().apiName(), 1, Integer::sum);
      }
      return runs.active().map(active -> new Views.Status(
          hazelcast.getCluster().getLocalMember().getAddress().toString(), members,
          new ArrayList<>(workers.values()), queues,
          active.stream().map(r -> runView(r, Map.of())).toList(), ready(), registryViews(),
          routeViews(null, null, null)));
    });
  }

  @Override
  public Future<List<Views.Policy>> policies() {
    List<Future<Views.Policy>> views = schedule.current().policies().stream().map(this::policyView).toList();
    return Future.all(views).map(all -> views.stream().map(Future::result).toList());
  }

  private Future<Views.Policy> policyView(Policy p) {
    return runs.policyState(p.name()).map(s -> toView(p, s));
  }

  private static Views.Policy toView(Policy p, PolicyState s) {
    return new Views.Policy(p.name(), p.tier().yamlName(), describeTrigger(p), s.paused(),
        p.source().registry() + " " + p.source().repositories(),
        p.targets().stream().map(t -> t.registry() + (t.prefix().isEmpty() ? "" : " prefix " + t.prefix())).toList(),
        s.lastRun());
  }

  private static String describeTrigger(Policy p) {
    List<String> parts = new ArrayList<>();
    if (p.trigger().interval() != null) {
      parts.add("every " + Durations.format(p.trigger().interval()));
    }
    if (p.trigger().cron() != null) {
      parts.add("cron " + p.trigger().cron());
    }
    if (p.trigger().event()) {
      parts.add("on events");
    }
    if (p.trigger().manual()) {
      parts.add("manual");
    }
    return String.join(", ", parts);
  }

  private Policy policy(String name) {
    return schedule.current().policy(name).orElseThrow(() -> ApiException.notFound("policy", name));
  }

  @Override
  public Future<Views.Run> sync(String policyName, boolean wait) {
    Future<RunRecord> started = runManager.trigger(policyName);
    Future<RunRecord> result = wait ? started.compose(r -> runManager.awaitEnd(r.id())) : started;
    return result.compose(r -> runManager.counts(r.id()).map(c -> runView(r, c)));
  }

  @Override
  public Future<Views.Policy> pause(String policyName) {
    return setPaused(policyName, true);
  }

  @Override
  public Future<Views.Policy> resume(String policyName) {
    return setPaused(policyName, false);
  }

  private Future<Views.Policy> setPaused(String policyName, boolean paused) {
    Policy p;
    try {
      p = policy(policyName);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return runs.setPaused(policyName, paused).map(s -> toView(p, s));
  }

  @Override
  public Future<Views.Run> run(String runId) {
    return runs.get(runId).compose(r -> r.isEmpty() ? Future.failedFuture(ApiException.notFound("run", runId))
        : runManager.counts(runId).map(c -> runView(r.get(), c)));
  }

  @Override
  public Future<Views.Run> cancelRun(String runId, String actor) {
    return runManager.cancel(runId, actor)
        .compose(r -> runManager.counts(runId).map(c -> runView(new RunRecord(r.id(), r.policy(), "cancelling",
            r.planned(), r.upToDate(), r.errors(), r.startedAt(), r.endedAt()), c)));
  }

  @Override
  public Future<List<Views.Job>> jobs(Views.JobQuery q) {
    return jobs.query(com.hazelcast.query.Predicates.alwaysTrue()).map(all -> all.stream()
        .filter(j -> q.state() == null || j.state().apiName().equals(q.state()))
        .filter(j -> q.policy() == null || j.policy().equals(q.policy()))
        .filter(j -> q.tier() == null || j.tier().equals(q.tier()))
        .sorted(Comparator.comparingLong(Job::updatedAt).reversed())
        .limit(q.limit())
        .map(ClusterCoordinator::jobView)
        .toList());
  }

  @Override
  public Future<Optional<LeaseProtocol.LeaseResponse>> lease(String workerId, LeaseProtocol.LeaseRequest r) {
    if (r.capacity() < 1 || r.capacity() > 256) {
      return Future.failedFuture(ApiException.badRequest("capacity must be between 1 and 256"));
    }
    long waitMillis = Math.max(0, Math.min(60, r.waitSeconds())) * 1000L;
    long ttl = leases.settings().ttl().toMillis();
    workerShares.seen(workerId);
    if (failover != null && !r.openBreakers().isEmpty()) {
      failover.breakersOpen(workerId, r.openBreakers());
    }
    return leases.lease(workerId, r.region(), r.capacity(), waitMillis).map(got -> {
      workers.put(workerId, new Views.Worker(workerId, r.region(), Instant.ofEpochMilli(clock.millis()), got.size()));
      if (got.isEmpty()) {
        return Optional.empty();
      }
      List<LeaseProtocol.Lease> out = got.stream().map(j -> {
        LinkQuotas.Grant grant = quotas.granted(j);
        workerLoad.granted(workerId, j.leaseId());
        return new LeaseProtocol.Lease(j.leaseId(), j.id(), j.fencingToken(), ttl, grant.bandwidth(),
            workerShares.divide(j.spec()), grant.renewMillis());
      }).toList();
      return Optional.of(new LeaseProtocol.LeaseResponse(out));
    });
  }

  @Override
  public Future<LeaseProtocol.RenewResponse> renew(String leaseId, LeaseProtocol.RenewRequest r) {
    JobKey key = keyOf(leaseId);
    if (key == null) {
      return Future.failedFuture(ApiException.leaseLost(leaseId));
    }
    long ttl = leases.settings().ttl().toMillis();
    return jobs.renew(key, leaseId, -1, r.bytesDone(), ttl).compose(j -> {
      if (j.isEmpty()) {
        quotas.released(leaseId);
        return Future.failedFuture(ApiException.leaseLost(leaseId));
      }
      if (j.get().intentDigest() != null) {
        // Past its commit intent: the lease's claim on the tag lasts as long as the lease.
        writers.extend(tagKey(j.get()), leaseId, j.get().leaseExpiresAt(), clock.millis());
      }
      workerLoad.renewed(j.get().workerId(), leaseId, r.bytesDone());
      LinkQuotas.Grant grant = quotas.renewed(j.get(), r.bytesStreamed());
      return Future.succeededFuture(new LeaseProtocol.RenewResponse(ttl, grant.bandwidth(), grant.renewMillis()));
    });
  }

  /**
   * The three-way rule for the tag write this lease is about to make: the policy's
   * onConflict and immutableTags, what the target holds now (the worker looked), and what
   * Ferry last wrote there (the tag history, which outlives jobs).
   */
  @Override
  public Future<LeaseProtocol.CommitDecision> commitIntent(String leaseId, LeaseProtocol.CommitIntent intent) {
    JobKey key = keyOf(leaseId);
    if (key == null) {
      return Future.failedFuture(ApiException.leaseLost(leaseId));
    }
    if (intent.tag() == null || intent.digest() == null) {
      return Future.failedFuture(ApiException.badRequest("commit-intent needs tag and digest"));
    }
    return jobs.get(key).compose(found -> {
      if (found.isEmpty() || !leaseId.equals(found.get().leaseId()) || found.get().spec() == null) {
        return Future.failedFuture(ApiException.leaseLost(leaseId));
      }
      Job job = found.get();
      Optional<Policy> policy = schedule.current().policy(job.policy());
      boolean rollback = Rollbacks.restores(job.policy());
      // An operator's rollback overwrites by design. A policy removed by a reload while its
      // job ran: refuse rather than guess.
      String onConflict = rollback ? "overwrite" : policy.map(p -> p.onConflict().yamlName()).orElse("fail");
      boolean immutable = !rollback
          && policy.map(p -> ConflictRule.immutable(p.immutableTags(), intent.tag())).orElse(true);
      LeaseProtocol.Endpoint target = job.spec().target();
      String tag = TagWriters.key(target.registry(), target.repository(), intent.tag());
      // One writer per tag, cluster-wide: the claim holds until this lease completes or runs out.
      return writers.claim(tag, job.id(), leaseId, job.leaseExpiresAt(), clock.millis()).compose(holder -> {
        if (holder.isPresent()) {
          return Future.failedFuture(tagBusy(target, intent.tag(), holder.get()));
        }
        return history.lastWritten(target.registry(), target.repository(), intent.tag())
            .compose(last -> jobs.commitIntent(key, leaseId, intent.fencingToken(), intent.tag(), intent.digest(),
                intent.current(), last, onConflict, immutable))
            .andThen(ar -> {
              if (ar.failed() || ar.result().isEmpty() || !ar.result().get().allowed()) {
                writers.release(tag, leaseId);
              }
            });
      });
    }).compose(decision -> decision.isPresent() ? Future.succeededFuture(decision.get())
        : Future.failedFuture(ApiException.leaseLost(leaseId)));
  }

  /** Another lease is writing the tag now: a temporary refusal, so the job is retried later. */
  private static ApiException tagBusy(LeaseProtocol.Endpoint target, String tag, String holder) {
    return new ApiException(503, "tag_busy", "tag " + target.registry() + "/" + target.repository() + ":" + tag
        + " is being written by job " + holder + "; this job writes nothing now and is retried later");
  }

  /** The target tag a job writes, as {@link TagWriters} keys it; null for a job without a target. */
  private static String tagKey(Job j) {
    LeaseProtocol.Endpoint t = j.spec() == null ? null : j.spec().target();
    return t == null ? null : TagWriters.key(t.registry(), t.repository(), j.tag());
  }

  @Override
  public Future<Void> complete(String leaseId, LeaseProtocol.Completion c) {
    JobKey key = keyOf(leaseId);
    if (key == null) {
      return Future.failedFuture(ApiException.leaseLost(leaseId));
    }
    if (!List.of("succeeded", "failed", "conflict", "rejected", "held").contains(c.outcome())) {
      return Future.failedFuture(ApiException.badRequest(
          "outcome must be one of succeeded, failed, conflict, rejected, held; got \"" + c.outcome() + "\""));
    }
    quotas.released(leaseId, c.bytesCopied());
    long hold = c.holdMillis() == null ? 0 : c.holdMillis();
    return jobs.complete(key, leaseId, c.fencingToken(), c.outcome(), c.error(), c.temporary(), hold)
        .onSuccess(j -> j.ifPresent(done -> {
          if (done.intentDigest() != null && tagKey(done) != null) {
            writers.release(tagKey(done), leaseId);
          }
          workerLoad.ended(done.workerId(), leaseId);
          metrics.jobCompleted(done.tier(), c.outcome(),
              java.time.Duration.ofMillis(Math.max(0, clock.millis() - done.createdAt())));
          if ("conflict".equals(c.outcome())) {
            metrics.conflict(done.policy());
          }
          if ("succeeded".equals(c.outcome())) {
            countPrewarmed(done, c.bytesCopied());
          }
          done.log(LOG).info("{} by worker {} (lease {}){}", c.outcome(), done.workerId(), leaseId,
              c.error() == null ? "" : ": " + c.error());
        }))
        .compose(j -> j.isPresent() ? recordRejection(j.get(), c).compose(v -> recordWrites(j.get()))
            // Only once its writes are recorded may the run end: a sync answered then finds them.
            .onComplete(ar -> finished(j.get()))
            : Future.failedFuture(ApiException.leaseLost(leaseId)));
  }

  /** The bytes a pre-warming policy's job copied count as pre-warmed at its target. */
  private void countPrewarmed(Job done, Long bytes) {
    if (bytes == null || bytes <= 0 || done.spec() == null || done.spec().target() == null) {
      return;
    }
    schedule.current().policy(done.policy()).filter(p -> p.prewarm() != null)
        .ifPresent(p -> metrics.prewarmed(done.spec().target().registry(), bytes));
  }

  private void finished(Job j) {
    if (j.state().finished()) {
      runManager.jobFinished(j.runId());
    }
  }

  /** A signature rejection is audited and counted; the job is already {@code rejected}. */
  private Future<Void> recordRejection(Job j, LeaseProtocol.Completion c) {
    if (j.state() != JobState.REJECTED || !LeaseProtocol.Completion.SIGNATURE.equals(c.reason())
        || j.spec() == null || j.spec().source() == null || j.spec().target() == null) {
      return Future.succeededFuture();
    }
    LeaseProtocol.Endpoint source = j.spec().source();
    LeaseProtocol.Endpoint target = j.spec().target();
    metrics.signatureRejected(j.policy(), source.registry());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("policy", j.policy());
    details.put("job", j.id());
    details.put("target", target.registry() + "/" + target.repository() + ":" + j.tag());
    details.put("reason", c.error() == null ? "" : c.error());
    return audit.record("worker:" + j.workerId(), "signature.rejected",
        "image/" + source.registry() + "/" + source.repository() + "@" + source.reference(), details);
  }

  /** A job that succeeded after an allowed intent wrote its tag (and maybe a backup tag first). */
  private Future<Void> recordWrites(Job j) {
    if (j.state() != JobState.SUCCEEDED || j.intentDigest() == null || j.spec() == null
        || j.spec().target() == null) {
      return Future.succeededFuture();
    }
    LeaseProtocol.Endpoint t = j.spec().target();
    String actor = "worker:" + j.workerId();
    long now = clock.millis();
    Future<Void> backup = j.intentBackupTag() == null || j.intentPrevious() == null ? Future.succeededFuture()
        : history.record(new TagWrite(t.registry(), t.repository(), j.intentBackupTag(), TagWrite.BACKUP, null,
            j.intentPrevious(), j.id(), j.runId(), j.policy(), actor, now));
    String kind = Rollbacks.POLICY.equals(j.policy()) ? TagWrite.ROLLBACK
        : Rollbacks.REPAIR.equals(j.policy()) ? TagWrite.REPAIR : TagWrite.WRITE;
    // A repair restores a policy's write and is recorded as that policy's.
    String policy = Rollbacks.REPAIR.equals(j.policy()) ? j.spec().policy() : j.policy();
    return backup.compose(v -> history.record(new TagWrite(t.registry(), t.repository(), j.tag(), kind,
        j.intentPrevious(), j.intentDigest(), j.id(), j.runId(), policy, actor, now)));
  }

  @Override
  public Future<List<TagWrite>> history(String registry, String repository, String tag, int limit) {
    return history.list(registry, repository, tag, limit);
  }

  @Override
  public Future<Rollbacks.Result> rollbackTag(String registry, String repository, String tag, String to) {
    return rollbacks.tag(registry, repository, tag, to);
  }

  @Override
  public Future<Rollbacks.Result> rollbackRun(String runId) {
    return rollbacks.run(runId);
  }

  @Override
  public Future<List<Drift>> drift(String policy) {
    if (policy != null && schedule.current().policy(policy).isEmpty()) {
      return Future.failedFuture(ApiException.notFound("policy", policy));
    }
    return drift.list(policy);
  }

  @Override
  public Future<DriftService.Report> checkDrift(String policy) {
    return schedule.current().policy(policy).map(drift::check)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("policy", policy)));
  }

  @Override
  public Future<List<Pin>> pins() {
    return pins.active();
  }

  @Override
  public Future<Pin> unpin(String registry, String repository, String tag) {
    return pins.get(registry, repository, tag).compose(held -> held == null
        ? Future.failedFuture(ApiException.notFound("pin of", registry + "/" + repository + ":" + tag))
        : pins.set(new Pin(registry, repository, tag, null, "unpinned", Math.max(clock.millis(), held.time() + 1)))
            .map(held));
  }

  @Override
  public Future<List<LinkQuotas.LinkView>> links() {
    return Future.succeededFuture(quotas.views());
  }

  @Override
  public Future<LinkQuotas.LinkView> setLink(String from, String to, String bandwidth, String actor) {
    return quotas.set(from, to, bandwidth, actor);
  }

  @Override
  public Future<dev.ferry.coordinator.event.EventTriggers.Receipt> registryEvents(String secret, byte[] body) {
    return events.receive(secret, body);
  }

  /** The job key inside a lease id, or null for an id that is not one of ours. */
  private static JobKey keyOf(String leaseId) {
    try {
      return LeaseIds.keyOf(leaseId);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Views.Run runView(RunRecord r, Map<String, Integer> counts) {
    Map<String, Integer> all = new LinkedHashMap<>(counts);
    all.put("planned", r.planned());
    all.put("upToDate", r.upToDate());
    return new Views.Run(r.id(), r.policy(), r.state(), all, Instant.ofEpochMilli(r.startedAt()),
        r.endedAt() == 0 ? null : Instant.ofEpochMilli(r.endedAt()),
        r.errors().isEmpty() ? null : String.join("; ", r.errors()), r.warnings());
  }

  private static Views.Job jobView(Job j) {
    String source = j.spec().source().registry() + "/" + j.spec().source().repository() + "@" + j.sourceDigest();
    String target = j.spec().target().registry() + "/" + j.spec().target().repository() + ":" + j.tag();
    return new Views.Job(j.id(), j.policy(), j.runId(), j.tier(), j.state().apiName(), source, target, j.attempts(),
        j.lastError(), j.notBefore() == 0 ? null : Instant.ofEpochMilli(j.notBefore()), j.fencingToken());
  }

  // ---- health, failover, routes ----

  private List<Views.Registry> registryViews() {
    if (failover == null) {
      return List.of();
    }
    return schedule.current().registries().stream().map(r -> registryView(r.name(),
        failover.store().health(r.name()).orElse(null))).toList();
  }

  private Views.Registry registryView(String name, RegistryHealth h) {
    var config = schedule.current().registry(name).orElseThrow(() -> ApiException.notFound("registry", name));
    if (h == null) {
      return new Views.Registry(name, config.url(), config.region(), "healthy", "not probed yet", null, true, null,
          null, 0, null, null);
    }
    Views.Probe probe = h.lastProbe() == null ? null : new Views.Probe(Instant.ofEpochMilli(h.lastProbe().at()),
        h.lastProbe().latencyMillis(), h.lastProbe().ok(), h.lastProbe().status());
    Views.OutOfService out = h.manual() == null ? null : new Views.OutOfService(h.manual().mode(), h.manual().actor(),
        h.manual().reason(), Instant.ofEpochMilli(h.manual().at()),
        h.manual().until() == 0 ? null : Instant.ofEpochMilli(h.manual().until()), h.manual().drillId());
    Views.CatchUp catchUp = h.recovery() == null ? null : new Views.CatchUp(h.recovery().phase(), h.recovery().runs(),
        Instant.ofEpochMilli(h.recovery().startedAt()),
        h.recovery().verifiedAt() == 0 ? null : Instant.ofEpochMilli(h.recovery().verifiedAt()),
        h.recovery().detail());
    return new Views.Registry(name, config.url(), config.region(), h.state().apiName(), h.reason(),
        Instant.ofEpochMilli(h.since()), h.inRoutes(), h.holdsWrites(), probe, h.consecutiveFailures(), out, catchUp);
  }

  private FailoverMonitor monitor() {
    if (failover == null) {
      throw ApiException.unavailable("health and failover are not running on this member");
    }
    return failover;
  }

  @Override
  public Future<List<Views.Registry>> registries() {
    return Future.succeededFuture(registryViews());
  }

  @Override
  public Future<Views.Registry> takeOut(String registry, String mode, String reason, String actor) {
    return monitor().takeOut(registry, mode, reason, actor).map(h -> registryView(registry, h));
  }

  @Override
  public Future<Views.Registry> failback(String registry, boolean force, String actor) {
    return monitor().failback(registry, force, actor).map(h -> registryView(registry, h));
  }

  @Override
  public Future<DrillReport> startDrill(String registry, java.time.Duration duration, String actor) {
    return monitor().startDrill(registry, duration, actor);
  }

  @Override
  public Future<DrillReport> drill(String id) {
    return monitor().drill(id).map(found -> found.orElseThrow(() -> ApiException.notFound("drill", id)));
  }

  @Override
  public Future<List<RouteView>> routes(String team, String workload, String region) {
    return Future.succeededFuture(routeViews(team, workload, region));
  }

  private List<RouteView> routeViews(String team, String workload, String region) {
    if (failover == null) {
      return List.of();
    }
    List<RouteView> out = new ArrayList<>();
    for (var route : schedule.current().routes()) {
      if ((team != null && !route.teams().isEmpty() && !route.teams().contains(team))
          || (workload != null && !route.workloads().isEmpty() && !route.workloads().contains(workload))
          || (region != null && !route.region().equals(region))) {
        continue;
      }
      failover.store().route(route.name()).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Future<RouteView> route(String name, String etag, long waitMillis) {
    if (schedule.current().routes().stream().noneMatch(r -> r.name().equals(name))) {
      return Future.failedFuture(ApiException.notFound("route", name));
    }
    if (routeWatch == null) {
      return Future.failedFuture(ApiException.unavailable("routes are not served on this member"));
    }
    return routeWatch.await(name, etag, waitMillis);
  }
}
