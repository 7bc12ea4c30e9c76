package dev.ferry.coordinator.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API shows of policies, runs and jobs: plain records, serialised to JSON as they are. */
public final class RunViews {

    private RunViews() {}

    /** @param trigger a short description, e.g. "every 5m", "cron 0 2 * * *", "manual" */
    public record Policy(
            String name,
            String tier,
            String trigger,
            boolean paused,
            String source,
            List<String> targets,
            String lastRun) {}

    /**
     * @param state planning, running, succeeded, failed (when any job failed, conflicted or was
     *     rejected), cancelled
     * @param counts jobs of the run per state, plus "planned" and "upToDate"
     */
    /** @param warnings what the plan warned of (a filter that matched nothing); empty when none */
    public record Run(
            String run,
            String policy,
            String state,
            Map<String, Integer> counts,
            Instant startedAt,
            Instant endedAt,
            String error,
            List<String> warnings) {

        public Run(
                String run,
                String policy,
                String state,
                Map<String, Integer> counts,
                Instant startedAt,
                Instant endedAt,
                String error) {
            this(run, policy, state, counts, startedAt, endedAt, error, List.of());
        }
    }

    public record Job(
            String id,
            String policy,
            String run,
            String tier,
            String state,
            String source,
            String target,
            int attempts,
            String lastError,
            Instant notBefore,
            long fencingToken) {}

    /** Filters for GET /v1/jobs; null means any. */
    public record JobQuery(String state, String policy, String tier, int limit) {}
}
