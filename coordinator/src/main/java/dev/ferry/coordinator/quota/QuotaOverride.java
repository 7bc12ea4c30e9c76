package dev.ferry.coordinator.quota;

import java.io.Serializable;

/**
 * A quota set at run time through the API; it wins over the schedule until the cluster
 * restarts or it is set again.
 *
 * @param bytesPerSecond 0 lifts the quota
 * @param text the bandwidth as written, e.g. {@code 20MiB/s}, or {@code unlimited}
 */
public record QuotaOverride(String link, long bytesPerSecond, String text, String changedBy, long changedAt)
        implements Serializable {}
