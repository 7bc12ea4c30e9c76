package dev.ferry.config.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Priority tiers; leases are shared between them by weight, so no tier starves. */
public enum Tier {
    CRITICAL(8),
    HIGH(4),
    NORMAL(2),
    BULK(1);

    private final int defaultWeight;

    Tier(int defaultWeight) {
        this.defaultWeight = defaultWeight;
    }

    public int defaultWeight() {
        return defaultWeight;
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(Tier::yamlName).toList();
    }
}
