package dev.ferry.coordinator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What part of a plan (a target, a tag, a repository) found: jobs, up-to-date pairs, errors;
 * merged up into the run's {@link Plan}.
 */
record Findings(List<PlannedJob> jobs, int upToDate, List<String> errors) {

    static final Findings NOTHING = new Findings(List.of(), 0, List.of());
    static final Findings UP_TO_DATE = new Findings(List.of(), 1, List.of());

    static Findings job(PlannedJob job) {
        return new Findings(List.of(job), 0, List.of());
    }

    static Findings error(String message) {
        return new Findings(List.of(), 0, List.of(message));
    }

    /** The parts in order. */
    static Findings merge(List<Findings> parts) {
        List<PlannedJob> jobs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int upToDate = 0;
        for (Findings part : parts) {
            jobs.addAll(part.jobs());
            errors.addAll(part.errors());
            upToDate += part.upToDate();
        }
        return new Findings(jobs, upToDate, errors);
    }
}
