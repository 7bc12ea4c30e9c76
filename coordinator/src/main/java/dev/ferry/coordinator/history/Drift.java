package dev.ferry.coordinator.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * A target tag that no longer holds what Ferry last wrote there.
 *
 * @param expected what Ferry last wrote (L)
 * @param actual what the tag holds now, or null when it is gone
 * @param action what the check did: {@code reported}, {@code repairing (job ID)}, or why it could not repair
 * @param detectedAt epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Drift(
        String registry,
        String repository,
        String tag,
        String policy,
        String expected,
        String actual,
        String action,
        long detectedAt)
        implements Serializable {

    public String tagKey() {
        return TagHistory.key(registry, repository, tag);
    }
}
