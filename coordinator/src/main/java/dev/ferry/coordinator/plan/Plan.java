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
 */
public record Plan(String policy, String runId, List<PlannedJob> jobs, int upToDate, List<String> errors) {

  public static final int MAX_ERRORS = 100;

  public Plan {
    jobs = List.copyOf(jobs);
    errors = List.copyOf(errors);
  }

  /** True when every repository, tag and target could be checked. */
  public boolean complete() {
    return errors.isEmpty();
  }
}
