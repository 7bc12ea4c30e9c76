package dev.ferry.coordinator.run;

import java.io.Serializable;
import java.util.List;

/**
 * The summary of one run: kept after its jobs are evicted.
 *
 * @param state planning, running, succeeded, failed, cancelled
 * @param warnings the plan's warnings (a filter that matched nothing); they do not fail the run
 */
public record RunRecord(
        String id,
        String policy,
        String state,
        int planned,
        int upToDate,
        List<String> errors,
        long startedAt,
        long endedAt,
        List<String> warnings)
        implements Serializable {

    public RunRecord {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** A run without warnings. */
    public RunRecord(
            String id,
            String policy,
            String state,
            int planned,
            int upToDate,
            List<String> errors,
            long startedAt,
            long endedAt) {
        this(id, policy, state, planned, upToDate, errors, startedAt, endedAt, List.of());
    }

    public boolean ended() {
        return state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
    }

    RunRecord withPlan(int plannedJobs, int current, List<String> planErrors, List<String> planWarnings) {
        return new RunRecord(id, policy, "running", plannedJobs, current, planErrors, startedAt, endedAt, planWarnings);
    }

    RunRecord ended(String endState, long at) {
        return new RunRecord(id, policy, endState, planned, upToDate, errors, startedAt, at, warnings);
    }
}
