package dev.ferry.coordinator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What part of a plan (a target, a tag, a repository) found: jobs, up-to-date pairs, errors,
 * and how the target tags were checked; merged up into the run's {@link Plan}.
 *
 * @param fromRecord (tag, target) pairs found up to date by Ferry's record, without a HEAD
 * @param heads manifest HEADs sent to targets
 * @param fromList (tag, target) pairs planned because the target's tag list lacks the tag, without a HEAD
 */
record Findings(List<PlannedJob> jobs, int upToDate, List<String> errors, int fromRecord, int heads, int fromList) {

    static final Findings NOTHING = new Findings(List.of(), 0, List.of(), 0, 0, 0);
    static final Findings UP_TO_DATE = new Findings(List.of(), 1, List.of(), 0, 0, 0);
    static final Findings BY_RECORD = new Findings(List.of(), 1, List.of(), 1, 0, 0);

    static Findings job(PlannedJob job) {
        return new Findings(List.of(job), 0, List.of(), 0, 0, 0);
    }

    static Findings error(String message) {
        return new Findings(List.of(), 0, List.of(message), 0, 0, 0);
    }

    /** These findings, from one HEAD at a target. */
    Findings afterHead() {
        return new Findings(jobs, upToDate, errors, fromRecord, heads + 1, fromList);
    }

    /** These findings, from the target's tag list lacking the tag (no HEAD). */
    Findings afterList() {
        return new Findings(jobs, upToDate, errors, fromRecord, heads, fromList + 1);
    }

    /** The parts in order. */
    static Findings merge(List<Findings> parts) {
        List<PlannedJob> jobs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int upToDate = 0;
        int fromRecord = 0;
        int heads = 0;
        int fromList = 0;
        for (Findings part : parts) {
            jobs.addAll(part.jobs());
            errors.addAll(part.errors());
            upToDate += part.upToDate();
            fromRecord += part.fromRecord();
            heads += part.heads();
            fromList += part.fromList();
        }
        return new Findings(jobs, upToDate, errors, fromRecord, heads, fromList);
    }
}
