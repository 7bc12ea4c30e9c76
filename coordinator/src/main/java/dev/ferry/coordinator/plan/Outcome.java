package dev.ferry.coordinator.plan;

import java.util.ArrayList;
import java.util.List;

/** What part of a plan (a target, a tag, a repository) found: jobs, up-to-date pairs, errors. */
record Outcome(List<PlannedJob> jobs, int upToDate, List<String> errors) {

  static final Outcome NOTHING = new Outcome(List.of(), 0, List.of());
  static final Outcome UP_TO_DATE = new Outcome(List.of(), 1, List.of());

  static Outcome job(PlannedJob job) {
    return new Outcome(List.of(job), 0, List.of());
  }

  static Outcome error(String message) {
    return new Outcome(List.of(), 0, List.of(message));
  }

  /** The parts in order. */
  static Outcome merge(List<Outcome> parts) {
    List<PlannedJob> jobs = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int upToDate = 0;
    for (Outcome part : parts) {
      jobs.addAll(part.jobs());
      errors.addAll(part.errors());
      upToDate += part.upToDate();
    }
    return new Outcome(jobs, upToDate, errors);
  }
}
