package dev.ferry.coordinator.plan;

import java.util.List;

/**
 * What one policy needs copied now.
 *
 * @param jobs one per (target registry, target repository, tag) whose target is absent or
 *     holds another digest, in policy order: repository, tag, target
 * @param upToDate (tag, target) pairs that already hold the source digest
 * @param errors what could not be checked (a registry error, an unreadable secret), one
 *     line each and never a secret; the rest of the plan is still valid. Capped at
 *     {@link #MAX_ERRORS} lines plus a count of the others.
 * @param warnings what does not stop the plan but may not be what the user meant: a tag regex
 *     or repository glob that matched none of the names it was tried on
 * @param checks every (tag, target) pair checked, with both digests; filled only by
 *     {@link Planner#preview}, empty in a run's plan
 * @param lookups how the target tags were checked: by Ferry's record, by a HEAD, or by the target's tag list
 */
public record Plan(
        String policy,
        String runId,
        List<PlannedJob> jobs,
        int upToDate,
        List<String> errors,
        List<String> warnings,
        List<TagCheck> checks,
        Lookups lookups) {

    public static final int MAX_ERRORS = 100;

    /**
     * @param fromRecord (tag, target) pairs taken as up to date from Ferry's record, without
     *     asking the target ({@link TagTrust})
     * @param heads manifest HEADs the plan sent to targets
     * @param fromList (tag, target) pairs planned without a HEAD because the target's tag list
     *     (or a 404 for the whole repository) showed the tag absent
     */
    public record Lookups(int fromRecord, int heads, int fromList) {
        public static final Lookups NONE = new Lookups(0, 0, 0);
    }

    public Plan {
        jobs = List.copyOf(jobs);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        checks = List.copyOf(checks);
    }

    /** A plan without warnings or checks. */
    public Plan(String policy, String runId, List<PlannedJob> jobs, int upToDate, List<String> errors) {
        this(policy, runId, jobs, upToDate, errors, List.of(), List.of(), Lookups.NONE);
    }

    /** This plan with other jobs, up-to-date count and errors; its warnings, checks and lookups kept. */
    public Plan with(List<PlannedJob> otherJobs, int otherUpToDate, List<String> otherErrors) {
        return new Plan(policy, runId, otherJobs, otherUpToDate, otherErrors, warnings, checks, lookups);
    }

    /** True when every repository, tag and target could be checked. */
    public boolean complete() {
        return errors.isEmpty();
    }
}
