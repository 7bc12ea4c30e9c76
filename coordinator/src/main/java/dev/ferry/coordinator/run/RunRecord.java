package dev.ferry.coordinator.run;

import java.io.Serializable;
import java.util.List;

/**
 * The summary of one run: kept after its jobs are evicted.
 *
 * @param state planning, running, succeeded, failed, cancelled
 */
public record RunRecord(String id, String policy, String state, int planned, int upToDate, List<String> errors,
    long startedAt, long endedAt) implements Serializable {

  public RunRecord {
    errors = List.copyOf(errors);
  }

  public boolean ended() {
    return state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
  }

  RunRecord withPlan(int plannedJobs, int current, List<String> planErrors) {
    return new RunRecord(id, policy, "running", plannedJobs, current, planErrors, startedAt, endedAt);
  }

  RunRecord ended(String endState, long at) {
    return new RunRecord(id, policy, endState, planned, upToDate, errors, startedAt, at);
  }
}
