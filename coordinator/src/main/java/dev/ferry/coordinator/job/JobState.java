package dev.ferry.coordinator.job;

import java.util.Locale;

/**
 * Where a job is in its life. {@code queued} and {@code held} jobs are leased once their
 * {@code notBefore} has passed; {@code held} means a registry the job needs was unavailable
 * (a worker's circuit breaker was open), and no attempt was counted for it.
 */
public enum JobState {
  QUEUED, LEASED, SUCCEEDED, FAILED, CONFLICT, REJECTED, HELD;

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CONFLICT || this == REJECTED;
  }

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an API name; null when unknown. */
  public static JobState fromApiName(String name) {
    for (JobState s : values()) {
      if (s.apiName().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
