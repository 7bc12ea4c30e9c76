package dev.ferry.config.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a drift check does with a target tag that no longer holds what Ferry wrote there. */
public enum OnDrift {
    /** List it in GET /v1/drift; change nothing. */
    REPORT,
    /** List it, and put back what Ferry wrote, through a normal (fenced, recorded) job. */
    REPAIR;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(OnDrift::yamlName).toList();
    }
}
