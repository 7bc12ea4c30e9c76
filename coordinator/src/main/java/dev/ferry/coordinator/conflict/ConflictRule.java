package dev.ferry.coordinator.conflict;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.config.filter.LinearRegex;
import java.util.List;

/**
 * The three-way rule, decided before every tag write from three digests: S, what the source
 * has (what the worker wants to write); T, what the target tag holds now; and L, what Ferry
 * last wrote there.
 *
 * <ul>
 *   <li>T absent, T = S or T = L: write. The tag is Ferry's own, or new.
 *   <li>Otherwise someone else wrote the tag since Ferry did: a conflict, which the policy's
 *       {@code onConflict} decides: {@code overwrite} writes, {@code backup} keeps T under
 *       {@code TAG-ferry-backup-UNIXTIME} and then writes, {@code skip} and {@code fail} leave
 *       the target alone and end the job as a conflict.
 *   <li>A tag matching {@code immutableTags} is written once and never again: any T that is
 *       not S refuses the write, whatever {@code onConflict} says.
 * </ul>
 *
 * <p>A pure function: the commit-intent entry processor runs it on the job's partition, and
 * on the backup replica again, with the same answer.
 */
public final class ConflictRule {

    /** The longest tag the distribution spec allows. */
    static final int MAX_TAG = 128;

    static final String BACKUP_INFIX = "-ferry-backup-";

    private ConflictRule() {}

    /**
     * @param onConflict the policy's {@code onConflict} in YAML spelling: overwrite, skip, fail, backup
     * @param immutable whether the tag matches the policy's {@code immutableTags}
     * @param nowMillis the decision time, for the backup tag's name
     */
    public static CommitDecision decide(
            String tag,
            String source,
            String current,
            String lastWritten,
            String onConflict,
            boolean immutable,
            long nowMillis) {
        if (current == null || current.equals(source)) {
            return new CommitDecision(true, lastWritten);
        }
        if (immutable) {
            return refuse(
                    lastWritten,
                    "tag " + tag + " is immutable (it matches the policy's immutableTags) and holds " + current
                            + "; Ferry does not replace it with " + source);
        }
        if (current.equals(lastWritten)) {
            return new CommitDecision(true, lastWritten);
        }
        String someoneElse = "conflict: tag " + tag + " holds " + current + ", which Ferry did not write"
                + (lastWritten == null
                        ? " (Ferry has not written this tag before)"
                        : " (Ferry last wrote " + lastWritten + ")");
        return switch (onConflict) {
            case "overwrite" -> new CommitDecision(true, lastWritten);
            case "backup" -> new CommitDecision(true, lastWritten, backupTag(tag, nowMillis), null);
            case "skip" -> refuse(lastWritten, someoneElse + "; onConflict: skip keeps the target's image");
            default -> refuse(lastWritten, someoneElse + "; onConflict: fail stops here");
        };
    }

    private static CommitDecision refuse(String lastWritten, String reason) {
        return new CommitDecision(false, lastWritten, null, reason);
    }

    /** {@code TAG-ferry-backup-UNIXTIME}, the tag shortened when the whole would exceed 128 characters. */
    static String backupTag(String tag, long nowMillis) {
        String suffix = BACKUP_INFIX + (nowMillis / 1000);
        String head = tag.length() + suffix.length() > MAX_TAG ? tag.substring(0, MAX_TAG - suffix.length()) : tag;
        return head + suffix;
    }

    /**
     * Whether {@code tag} matches one of the policy's {@code immutableTags} (whole-tag regexes,
     * in linear time: this runs on a partition thread).
     */
    public static boolean immutable(List<String> immutableTags, String tag) {
        for (String regex : immutableTags) {
            if (LinearRegex.compile(regex).matchesWhole(tag)) {
                return true;
            }
        }
        return false;
    }
}
