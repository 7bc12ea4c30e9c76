package dev.ferry.coordinator.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API shows: plain records, serialised to JSON as they are. */
public final class Views {

  private Views() {}

  /**
   * @param queues per tier, per job state, how many jobs
   * @param activeRuns runs that have not ended
   */
  public record Status(String member, List<String> members, List<Worker> workers,
      Map<String, Map<String, Integer>> queues, List<Run> activeRuns, boolean ready, List<Registry> registries,
      List<dev.ferry.coordinator.health.RouteView> routes) {}

  /**
   * A registry's health as the cluster agrees on it.
   *
   * @param state healthy, degraded, down or out-of-service
   * @param inRoutes whether it may be a route's active mirror (false from failover to failback)
   * @param holdsWrites why jobs writing to it are held now; null when they are not
   * @param outOfService set while an operator holds it out (failover, drain, drill)
   * @param catchUp set while it works its way back into its routes
   */
  public record Registry(String name, String url, String region, String state, String reason, Instant since,
      boolean inRoutes, String holdsWrites, Probe lastProbe, int consecutiveFailures, OutOfService outOfService,
      CatchUp catchUp) {}

  public record Probe(Instant at, long latencyMillis, boolean ok, String status) {}

  public record OutOfService(String mode, String actor, String reason, Instant at, Instant until, String drill) {}

  public record CatchUp(String phase, List<String> runs, Instant startedAt, Instant verifiedAt, String detail) {}

  public record Worker(String id, String region, Instant lastSeen, int leases) {}

  /** @param trigger a short description, e.g. "every 5m", "cron 0 2 * * *", "manual" */
  public record Policy(String name, String tier, String trigger, boolean paused, String source,
      List<String> targets, String lastRun) {}

  /**
   * @param state planning, running, succeeded, failed (when any job failed, conflicted or was
   *     rejected), cancelled
   * @param counts jobs of the run per state, plus "planned" and "upToDate"
   */
  /** @param warnings what the plan warned of (a filter that matched nothing); empty when none */
  public record Run(String run, String policy, String state, Map<String, Integer> counts, Instant startedAt,
      Instant endedAt, String error, List<String> warnings) {

    public Run(String run, String policy, String state, Map<String, Integer> counts, Instant startedAt,
        Instant endedAt, String error) {
      this(run, policy, state, counts, startedAt, endedAt, error, List.of());
    }
  }

  public record Job(String id, String policy, String run, String tier, String state, String source,
      String target, int attempts, String lastError, Instant notBefore, long fencingToken) {}

  /** Filters for GET /v1/jobs; null means any. */
  public record JobQuery(String state, String policy, String tier, int limit) {}
}
