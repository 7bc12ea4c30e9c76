package dev.ferry.config.filter;

import java.time.Instant;
import java.util.Objects;

/**
 * A tag in a source repository.
 *
 * @param created when the image was created, or null when unknown
 */
public record TagInfo(String tag, Instant created) {

    public TagInfo {
        Objects.requireNonNull(tag, "tag");
    }
}
