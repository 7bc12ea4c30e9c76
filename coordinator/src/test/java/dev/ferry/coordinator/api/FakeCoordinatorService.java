package dev.ferry.coordinator.api;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.service.ApiException;
import dev.ferry.coordinator.quota.LinkQuotas;
import dev.ferry.coordinator.service.CoordinatorService;
import dev.ferry.coordinator.service.Views;
import dev.ferry.coordinator.health.DrillReport;
import dev.ferry.coordinator.health.RouteView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory service with a small, fixed world: policy "apps" (paused false), run "r-1",
 * lease "l-1" held with fencing token 7. Pending futures (sync with wait, long polls) are
 * completed by the test through {@link #completeSync} and {@link #completeLease}, on the
 * Vert.x context that created them, as a real service would.
 */
final class FakeCoordinatorService implements CoordinatorService {

  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2025-03-01T10:05:30.250Z");

  volatile boolean ready = true;
  volatile RuntimeException statusFailure;

  final Map<String, Views.Policy> policies = new ConcurrentHashMap<>(Map.of(
      "apps", policy("apps", false)));
  final Map<String, Views.Run> runs = new ConcurrentHashMap<>(Map.of(
      "r-1", new Views.Run("r-1", "apps", "succeeded", Map.of("planned", 3, "succeeded", 3), T0, T1, null)));
  final Set<String> heldLeases = ConcurrentHashMap.newKeySet();
  final List<Views.Job> jobs = new ArrayList<>();
  final List<dev.ferry.coordinator.event.RegistryEvent> receivedEvents =
      java.util.Collections.synchronizedList(new ArrayList<>());

  volatile Views.JobQuery lastJobQuery;
  volatile String lastWorkerId;
  volatile LeaseProtocol.LeaseRequest lastLeaseRequest;
  volatile LeaseProtocol.RenewRequest lastRenew;
  volatile LeaseProtocol.CommitIntent lastIntent;
  volatile LeaseProtocol.Completion lastCompletion;

  private volatile Pending<Views.Run> pendingSync;
  private volatile Pending<Optional<LeaseProtocol.LeaseResponse>> pendingLease;
  private final CountDownLatch syncCalled = new CountDownLatch(1);
  private final CountDownLatch leaseCalled = new CountDownLatch(1);

  private record Pending<T>(Context context, Promise<T> promise) {
    void complete(T value) {
      context.runOnContext(v -> promise.complete(value));
    }
  }

  FakeCoordinatorService() {
    heldLeases.add("l-1");
    jobs.add(new Views.Job("j-1", "apps", "r-1", "high", "queued", "hub-eu/team/api:v1",
        "mirror-us/mirror/team/api:v1", 0, null, null, 0));
  }

  static Views.Policy policy(String name, boolean paused) {
    return new Views.Policy(name, "high", "every 5m", paused, "hub-eu/team/*", List.of("mirror-us"), "r-1");
  }

  static Views.Run running(String policy) {
    return new Views.Run("r-2", policy, "running", Map.of("planned", 2), T0, null, null);
  }

  static Views.Run ended(String policy) {
    return new Views.Run("r-2", policy, "succeeded", Map.of("planned", 2, "succeeded", 2), T0, T1, null);
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public Future<Views.Status> status() {
    if (statusFailure != null) {
      return Future.failedFuture(statusFailure);
    }
    Map<String, Map<String, Integer>> queues = new LinkedHashMap<>();
    queues.put("high", Map.of("queued", 1));
    return Future.succeededFuture(new Views.Status("m-1", List.of("m-1", "m-2"),
        List.of(new Views.Worker("w-1", "us-east", T1, 2)), queues, List.of(running("apps")), ready,
        List.of(registry("mirror-eu", "healthy", true)), List.of(route("ci-eu", "mirror-eu"))));
  }

  @Override
  public Future<List<Views.Policy>> policies() {
    return Future.succeededFuture(List.copyOf(policies.values()));
  }

  @Override
  public Future<Views.Run> sync(String policy, boolean wait) {
    if (!policies.containsKey(policy)) {
      return Future.failedFuture(ApiException.notFound("policy", policy));
    }
    if (!wait) {
      return Future.succeededFuture(running(policy));
    }
    Pending<Views.Run> pending = new Pending<>(Vertx.currentContext(), Promise.promise());
    pendingSync = pending;
    syncCalled.countDown();
    return pending.promise().future();
  }

  /** Waits until the API has asked for a waiting sync, then ends that run. */
  void completeSync(Views.Run run) throws InterruptedException {
    awaitLatch(syncCalled);
    pendingSync.complete(run);
  }

  boolean syncPending() {
    return pendingSync != null && !pendingSync.promise().future().isComplete();
  }

  @Override
  public Future<Views.Policy> pause(String policy) {
    return setPaused(policy, true);
  }

  @Override
  public Future<Views.Policy> resume(String policy) {
    return setPaused(policy, false);
  }

  private Future<Views.Policy> setPaused(String name, boolean paused) {
    if (!policies.containsKey(name)) {
      return Future.failedFuture(ApiException.notFound("policy", name));
    }
    Views.Policy updated = policy(name, paused);
    policies.put(name, updated);
    return Future.succeededFuture(updated);
  }

  @Override
  public Future<Views.Run> run(String runId) {
    Views.Run run = runs.get(runId);
    return run == null ? Future.failedFuture(ApiException.notFound("run", runId)) : Future.succeededFuture(run);
  }

  @Override
  public Future<List<Views.Job>> jobs(Views.JobQuery query) {
    lastJobQuery = query;
    return Future.succeededFuture(List.copyOf(jobs));
  }

  @Override
  public Future<Optional<LeaseProtocol.LeaseResponse>> lease(String workerId, LeaseProtocol.LeaseRequest request) {
    lastWorkerId = workerId;
    lastLeaseRequest = request;
    Pending<Optional<LeaseProtocol.LeaseResponse>> pending = new Pending<>(Vertx.currentContext(), Promise.promise());
    pendingLease = pending;
    leaseCalled.countDown();
    return pending.promise().future();
  }

  /** Waits until a worker polls, then answers the poll. */
  void completeLease(Optional<LeaseProtocol.LeaseResponse> answer) throws InterruptedException {
    awaitLatch(leaseCalled);
    pendingLease.complete(answer);
  }

  @Override
  public Future<LeaseProtocol.RenewResponse> renew(String leaseId, LeaseProtocol.RenewRequest request) {
    lastRenew = request;
    return heldLeases.contains(leaseId)
        ? Future.succeededFuture(new LeaseProtocol.RenewResponse(30_000, 1_048_576))
        : Future.failedFuture(ApiException.leaseLost(leaseId));
  }

  @Override
  public Future<LeaseProtocol.CommitDecision> commitIntent(String leaseId, LeaseProtocol.CommitIntent intent) {
    lastIntent = intent;
    if (!heldLeases.contains(leaseId) || intent.fencingToken() != 7) {
      return Future.failedFuture(ApiException.leaseLost(leaseId));
    }
    return Future.succeededFuture(new LeaseProtocol.CommitDecision(true, null));
  }

  @Override
  public Future<Void> complete(String leaseId, LeaseProtocol.Completion completion) {
    lastCompletion = completion;
    return heldLeases.remove(leaseId) ? Future.succeededFuture() : Future.failedFuture(ApiException.leaseLost(leaseId));
  }

  final List<dev.ferry.coordinator.history.TagWrite> writes = new java.util.ArrayList<>();
  String lastHistoryQuery;

  @Override
  public Future<List<dev.ferry.coordinator.history.TagWrite>> history(String registry, String repository, String tag,
      int limit) {
    lastHistoryQuery = registry + "|" + repository + "|" + tag + "|" + limit;
    return Future.succeededFuture(writes.stream().limit(limit).toList());
  }

  final List<dev.ferry.coordinator.history.Pin> pinList = new java.util.ArrayList<>();
  String lastRollback;

  @Override
  public Future<dev.ferry.coordinator.history.Rollbacks.Result> rollbackTag(String registry, String repository,
      String tag, String to) {
    lastRollback = registry + "|" + repository + "|" + tag + "|" + to;
    return Future.succeededFuture(new dev.ferry.coordinator.history.Rollbacks.Result("rollback-1", List.of(
        new dev.ferry.coordinator.history.Rollbacks.Item(registry, repository, tag, "sha256:new", "sha256:old",
            "job-9")), List.of()));
  }

  @Override
  public Future<dev.ferry.coordinator.history.Rollbacks.Result> rollbackRun(String runId) {
    lastRollback = "run|" + runId;
    return runId.equals("r-404") ? Future.failedFuture(ApiException.notFound("run with tag writes", runId))
        : Future.succeededFuture(new dev.ferry.coordinator.history.Rollbacks.Result("rollback-2", List.of(),
            List.of("mirror/app:v9: the run created this tag; Ferry does not delete tags")));
  }

  @Override
  public Future<dev.ferry.coordinator.history.Rollbacks.Result> rollbackRepository(String registry,
      String repository, java.time.Instant at, String beforeRun) {
    lastRollback = "repository|" + registry + "|" + repository + "|" + at + "|" + beforeRun;
    return Future.succeededFuture(new dev.ferry.coordinator.history.Rollbacks.Result("rollback-3", List.of(),
        List.of()));
  }

  final List<dev.ferry.coordinator.history.Drift> drifted = new java.util.ArrayList<>();

  @Override
  public Future<List<dev.ferry.coordinator.history.Drift>> drift(String policy) {
    if (policy != null && !policy.equals("apps")) {
      return Future.failedFuture(ApiException.notFound("policy", policy));
    }
    return Future.succeededFuture(List.copyOf(drifted));
  }

  @Override
  public Future<dev.ferry.coordinator.history.DriftService.Report> checkDrift(String policy) {
    return policy.equals("apps")
        ? Future.succeededFuture(new dev.ferry.coordinator.history.DriftService.Report("apps", 3, List.copyOf(drifted)))
        : Future.failedFuture(ApiException.notFound("policy", policy));
  }

  @Override
  public Future<List<dev.ferry.coordinator.history.Pin>> pins() {
    return Future.succeededFuture(List.copyOf(pinList));
  }

  @Override
  public Future<dev.ferry.coordinator.history.Pin> unpin(String registry, String repository, String tag) {
    for (var p : pinList) {
      if (p.registry().equals(registry) && p.repository().equals(repository) && p.tag().equals(tag)) {
        pinList.remove(p);
        return Future.succeededFuture(p);
      }
    }
    return Future.failedFuture(ApiException.notFound("pin of", registry + "/" + repository + ":" + tag));
  }

  volatile String lastLinkChange;
  volatile String lastCancel;

  @Override
  public Future<Views.Run> cancelRun(String runId, String actor) {
    Views.Run r = runs.get(runId);
    if (r == null) {
      return Future.failedFuture(ApiException.notFound("run", runId));
    }
    if (r.endedAt() != null) {
      return Future.failedFuture(new ApiException(409, "run_ended", "run " + runId + " has already ended ("
          + r.state() + ")"));
    }
    lastCancel = runId + "|" + actor;
    return Future.succeededFuture(new Views.Run(runId, r.policy(), "cancelling", Map.of("cancelled", 2), r.startedAt(),
        null, null));
  }

  @Override
  public Future<List<LinkQuotas.LinkView>> links() {
    return Future.succeededFuture(List.of(new LinkQuotas.LinkView("eu-west", "us-east", "20MiB/s", 20971520,
        "schedule", null, null, 10485760, List.of(new LinkQuotas.LeaseShare("l-1", "j-1", "w-1", "high", 20971520,
        10485760)))));
  }

  @Override
  public Future<dev.ferry.coordinator.event.EventTriggers.Receipt> registryEvents(String secret, byte[] body) {
    if (!"hook-secret".equals(secret)) {
      return Future.failedFuture(new ApiException(401, "unauthenticated", "no registry has that webhook secret"));
    }
    try {
      List<dev.ferry.coordinator.event.RegistryEvent> events = dev.ferry.coordinator.event.EventEnvelope.parse(body);
      receivedEvents.addAll(events);
      return Future.succeededFuture(new dev.ferry.coordinator.event.EventTriggers.Receipt(events.size(), 0,
          List.of("apps"), 0));
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<LinkQuotas.LinkView> setLink(String from, String to, String bandwidth, String actor) {
    if (!from.equals("eu-west")) {
      return Future.failedFuture(ApiException.notFound("region", from));
    }
    lastLinkChange = from + "|" + to + "|" + bandwidth + "|" + actor;
    return Future.succeededFuture(new LinkQuotas.LinkView(from, to, bandwidth, 5 * 1024 * 1024, "api", actor, T1, 0,
        List.of()));
  }

  @Override
  public String metricsText() {
    return "# HELP ferry_cluster_members Members\n# TYPE ferry_cluster_members gauge\nferry_cluster_members 2.0\n";
  }

  static LeaseProtocol.LeaseResponse oneLease() {
    var source = new LeaseProtocol.Endpoint("hub-eu", "https://registry.eu.example.com", "team/api", "v1",
        new LeaseProtocol.CredentialsRef("ci", "HUB_EU_PASSWORD", null, null));
    var target = new LeaseProtocol.Endpoint("mirror-us", "https://mirror.us.example.com", "mirror/team/api", "v1",
        null);
    var spec = new LeaseProtocol.JobSpec("apps", "r-2", "high", source, target, List.of(), true);
    return new LeaseProtocol.LeaseResponse(List.of(new LeaseProtocol.Lease("l-9", "j-1", 8, 30_000, 0, spec)));
  }

  private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the API never called the service");
    }
  }

  // ---- health, failover, routes: "mirror-eu" and "hub-eu"; route "ci-eu" ----

  volatile String lastRegistryAction;
  private volatile RouteView currentRoute = route("ci-eu", "mirror-eu");
  private final List<Promise<RouteView>> routeWaiters = new java.util.concurrent.CopyOnWriteArrayList<>();

  static Views.Registry registry(String name, String state, boolean inRoutes) {
    return new Views.Registry(name, "https://" + name + ".example.com", "eu-west", state, "answers probes", T0,
        inRoutes, null, new Views.Probe(T1, 12, true, "200"), 0, null, null);
  }

  static RouteView route(String name, String active) {
    return new RouteView(name, "eu-west", List.of("payments"), List.of(), active, "https://" + active + ".example.com",
        active + " is the first healthy, in-sync mirror", List.of(
            new RouteView.Candidate("mirror-eu", "https://mirror-eu.example.com", "healthy", true, true, 0, 0,
                active.equals("mirror-eu"), "healthy and in sync"),
            new RouteView.Candidate("hub-eu", "https://hub-eu.example.com", "healthy", true, true, 0, 0, true,
                "healthy and in sync")), T0.toEpochMilli());
  }

  /** Switches route ci-eu's active mirror, waking long polls, as a failover would. */
  void switchRoute(String active) {
    currentRoute = route("ci-eu", active);
    for (Promise<RouteView> p : routeWaiters) {
      routeWaiters.remove(p);
      p.tryComplete(currentRoute);
    }
  }

  private Future<Views.Registry> known(String name) {
    return name.equals("mirror-eu") || name.equals("hub-eu") ? Future.succeededFuture(registry(name, "healthy", true))
        : Future.failedFuture(ApiException.notFound("registry", name));
  }

  @Override
  public Future<List<Views.Registry>> registries() {
    return Future.succeededFuture(List.of(registry("mirror-eu", "healthy", true), registry("hub-eu", "down", false)));
  }

  @Override
  public Future<Views.Registry> takeOut(String registry, String mode, String reason, String actor) {
    return known(registry).map(r -> {
      lastRegistryAction = mode + "|" + registry + "|" + reason + "|" + actor;
      return registry(registry, "out-of-service", false);
    });
  }

  @Override
  public Future<Views.Registry> failback(String registry, boolean force, String actor) {
    return known(registry).compose(r -> {
      lastRegistryAction = "failback|" + registry + "|" + force + "|" + actor;
      return force ? Future.succeededFuture(registry(registry, "healthy", true))
          : Future.failedFuture(new ApiException(409, "catch_up_pending", "catch-up of " + registry
              + " is catching-up; fail back when it is verified, or use --force"));
    });
  }

  @Override
  public Future<DrillReport> startDrill(String registry, java.time.Duration duration, String actor) {
    return known(registry).map(r -> new DrillReport("drill-1", registry, actor, T0.toEpochMilli(), duration.toMillis(),
        List.of(new DrillReport.Switch("ci-eu", "mirror-eu", "hub-eu")), DrillReport.RUNNING, 0, 0, 0, 0, "running",
        0));
  }

  @Override
  public Future<DrillReport> drill(String id) {
    return id.equals("drill-1") ? Future.succeededFuture(new DrillReport("drill-1", "mirror-eu", "alice",
        T0.toEpochMilli(), 60_000, List.of(new DrillReport.Switch("ci-eu", "mirror-eu", "hub-eu")),
        DrillReport.PASSED, T1.toEpochMilli(), 2, 0, 1500, "caught up; no drift", 0))
        : Future.failedFuture(ApiException.notFound("drill", id));
  }

  @Override
  public Future<List<RouteView>> routes(String team, String workload, String region) {
    boolean match = (team == null || team.equals("payments")) && workload == null
        && (region == null || region.equals("eu-west"));
    return Future.succeededFuture(match ? List.of(currentRoute) : List.of());
  }

  @Override
  public Future<RouteView> route(String name, String etag, long waitMillis) {
    if (!name.equals("ci-eu")) {
      return Future.failedFuture(ApiException.notFound("route", name));
    }
    RouteView now = currentRoute;
    if (etag == null || waitMillis <= 0 || !etag.equals(now.etag())) {
      return Future.succeededFuture(now);
    }
    Promise<RouteView> p = Promise.promise();
    routeWaiters.add(p);
    Vertx.currentContext().owner().setTimer(waitMillis, t -> {
      routeWaiters.remove(p);
      p.tryComplete(currentRoute);
    });
    return p.future();
  }
}
