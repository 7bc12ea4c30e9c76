package dev.ferry.config.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code tiers:} on a route: a {@code hot} mirror is an edge cache, pre-warmed and subject to
 * {@code ttl}; a {@code cold} one keeps everything and is never pre-warmed. A mirror with no
 * tier is hot. Not to be confused with {@link Tier}, the priority of a job.
 */
public enum MirrorTier {
    HOT,
    COLD;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(MirrorTier::yamlName).toList();
    }
}
