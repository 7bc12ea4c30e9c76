package dev.ferry.coordinator.service;

import dev.ferry.coordinator.history.Drift;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.history.Pin;
import dev.ferry.coordinator.history.Rollbacks;
import dev.ferry.coordinator.history.TagWrite;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.quota.LinkQuotas;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Everything the control API can ask of a coordinator member. The HTTP layer only maps
 * requests to these calls and results (or {@link ApiException}s) to responses.
 */
public interface CoordinatorService {

  /** This member's metrics in the Prometheus text format. */
  String metricsText();

  /** Ready: the cluster is joined and a valid schedule is loaded. */
  boolean ready();

  Future<Views.Status> status();

  Future<List<Views.Policy>> policies();

  /**
   * Starts a run of a policy now (or joins the running one: triggers coalesce). With
   * {@code wait}, completes when the run ends.
   */
  Future<Views.Run> sync(String policy, boolean wait);

  Future<Views.Policy> pause(String policy);

  Future<Views.Policy> resume(String policy);

  Future<Views.Run> run(String runId);

  /**
   * Cancels a run's unfinished jobs; copies in flight stop at their next renew and write no
   * tag. Answers the run with its counts after the cancel.
   */
  Future<Views.Run> cancelRun(String runId, String actor);

  Future<List<Views.Job>> jobs(Views.JobQuery query);

  /** A long poll; empty when nothing could be leased within the wait. */
  Future<Optional<LeaseProtocol.LeaseResponse>> lease(String workerId, LeaseProtocol.LeaseRequest request);

  /** Fails with {@link ApiException#leaseLost} when the lease is no longer held. */
  Future<LeaseProtocol.RenewResponse> renew(String leaseId, LeaseProtocol.RenewRequest request);

  Future<LeaseProtocol.CommitDecision> commitIntent(String leaseId, LeaseProtocol.CommitIntent intent);

  Future<Void> complete(String leaseId, LeaseProtocol.Completion completion);

  /**
   * Tag writes Ferry made to a repository of a registry, or to one tag of it, newest first.
   */
  Future<List<TagWrite>> history(String registry, String repository, String tag, int limit);

  /** Puts a target tag back to {@code to} (or to what it held before Ferry's last write) and pins it. */
  Future<Rollbacks.Result> rollbackTag(String registry, String repository, String tag, String to);

  /** Puts back every tag a run wrote, and pins them. */
  Future<Rollbacks.Result> rollbackRun(String runId);

  /**
   * Puts every tag Ferry wrote in a target repository back to its state at {@code at}, or
   * (when {@code at} is null) before run {@code beforeRun} wrote, and pins them.
   */
  Future<Rollbacks.Result> rollbackRepository(String registry, String repository, java.time.Instant at,
      String beforeRun);

  /** Drifted target tags, of one policy or (null) of all, as the last checks found them. */
  Future<List<Drift>> drift(String policy);

  /** Checks a policy's targets for drift now (and repairs, if the policy says so). */
  Future<DriftService.Report> checkDrift(String policy);

  Future<List<Pin>> pins();

  /** Removes a pin; answers the pin that was removed. */
  Future<Pin> unpin(String registry, String repository, String tag);

  /** Links with a quota or with leases: quota, origin, shares per lease and observed rates. */
  Future<List<LinkQuotas.LinkView>> links();

  /**
   * Sets a link's bandwidth quota cluster-wide ({@code unlimited} lifts it); takes effect at
   * each lease's next renew.
   *
   * @param actor who asked, for the audit record
   */
  Future<LinkQuotas.LinkView> setLink(String from, String to, String bandwidth, String actor);

  /** Every registry of the schedule with its health, failover and catch-up state. */
  Future<List<Views.Registry>> registries();

  /**
   * Takes a registry out of service by hand: it leaves its routes at once and jobs writing
   * to it are held. {@code mode} is {@code failover} or {@code drain}.
   */
  Future<Views.Registry> takeOut(String registry, String mode, String reason, String actor);

  /**
   * Puts a registry back into its routes. Without {@code force}, refused with 409 and the
   * reason until its catch-up resync is verified (the refusal starts the catch-up if none runs).
   */
  Future<Views.Registry> failback(String registry, boolean force, String actor);

  /** Starts a drill: {@code registry} is out of service for {@code duration}, then restored and caught up. */
  Future<dev.ferry.coordinator.health.DrillReport> startDrill(String registry, java.time.Duration duration,
      String actor);

  Future<dev.ferry.coordinator.health.DrillReport> drill(String id);

  /** Routes, filtered by team, workload and region labels (null: any). */
  Future<List<dev.ferry.coordinator.health.RouteView>> routes(String team, String workload, String region);

  /**
   * One route. With an {@code etag} and a wait, a long poll: completes when the route's
   * choice no longer matches the etag, or with the unchanged route when the wait is over.
   */
  Future<dev.ferry.coordinator.health.RouteView> route(String name, String etag, long waitMillis);

  /**
   * A registry's notification envelope. Fails with 401 when {@code secret} is no registry's
   * webhook secret and 400 when the envelope is malformed; either way nothing is done.
   *
   * @param secret the bearer secret the request carried, or null
   */
  Future<dev.ferry.coordinator.event.EventTriggers.Receipt> registryEvents(String secret, byte[] body);
}
