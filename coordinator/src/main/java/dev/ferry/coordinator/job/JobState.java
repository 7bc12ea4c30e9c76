package dev.ferry.coordinator.job;

import java.util.Locale;

/** Where a job is in its life. Only {@code queued} jobs can be leased. */
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
