package dev.ferry.config.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What to do when someone else wrote a target tag since Ferry last did. */
public enum OnConflict {
    /** The source wins. */
    OVERWRITE,
    /** The target wins; the conflict is reported. */
    SKIP,
    /** The job ends as a conflict and alerts. */
    FAIL,
    /** The old digest is tagged TAG-ferry-backup-UNIXTIME, then overwritten. */
    BACKUP;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(OnConflict::yamlName).toList();
    }
}
