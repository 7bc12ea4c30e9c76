package dev.ferry.coordinator.job;

import java.util.Locale;

/**
 * Where a job is in its life. {@code queued} and {@code held} jobs are leased once their
 * {@code notBefore} has passed; {@code held} means a registry the job needs was unavailable
 * (a worker's circuit breaker was open), and no attempt was counted for it. The order is
 * part of the wire format (states travel as their ordinal): add new states at the end.
 */
public enum JobState {
    QUEUED,
    LEASED,
    SUCCEEDED,
    FAILED,
    CONFLICT,
    REJECTED,
    HELD,
    CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CONFLICT || this == REJECTED || this == CANCELLED;
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
