package dev.ferry.coordinator.plan;

import java.io.Serializable;

/**
 * Ferry's own record of one target tag: the digest it last wrote there, or last saw there with
 * a manifest HEAD, and when.
 *
 * @param digest null when the last thing Ferry knows is that it deleted the tag
 * @param at epoch milliseconds of the write, the delete or the HEAD
 */
public record KnownTag(String digest, long at) implements Serializable {

    /** The newer of two records, either of which may be null. */
    public static KnownTag newer(KnownTag a, KnownTag b) {
        if (a == null) {
            return b;
        }
        return b == null || a.at() >= b.at() ? a : b;
    }
}
