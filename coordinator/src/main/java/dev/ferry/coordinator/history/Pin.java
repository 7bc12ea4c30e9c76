package dev.ferry.coordinator.history;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * A target tag held at a digest: reconciles leave it alone until it is unpinned. Pins are
 * last-writer-wins by {@code time}, so an unpin is kept as a pin without a digest: members
 * that replay their files in any order arrive at the same pins.
 *
 * @param digest the digest the tag is held at; null for an unpin
 * @param reason why (a rollback of a tag or of a run)
 * @param time epoch milliseconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pin(String registry, String repository, String tag, String digest, String reason, long time)
        implements Serializable {

    public boolean active() {
        return digest != null;
    }

    public String tagKey() {
        return TagHistory.key(registry, repository, tag);
    }
}
