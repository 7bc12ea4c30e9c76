package dev.ferry.coordinator.plan;

import java.time.Duration;

/**
 * When a plan may take a target tag as up to date from Ferry's record instead of a HEAD: the
 * record holds the digest the source tag has now, it is younger than the target's
 * {@code recheck} period, and the target's tag list (read in the same plan) still has the tag.
 * A {@code recheck} of zero trusts no record (and reads no list). A tag the list lacks is planned
 * without a HEAD ({@link TargetTags}); any other is asked for with a HEAD, which then renews the
 * record when it finds the source digest.
 *
 * <p>What this leaves unseen is an external push over a tag within the period; the next HEAD
 * or a drift check finds it (docs/schedule.md, "Rechecking target tags").
 */
final class TagTrust {

    private TagTrust() {}

    /** Whether the record alone says the tag holds {@code sourceDigest}, the tag list aside. */
    static boolean recordVouches(KnownTag record, String sourceDigest, Duration recheck, long now) {
        if (record == null || record.digest() == null || recheck.isZero() || recheck.isNegative()) {
            return false;
        }
        long age = now - record.at();
        return record.digest().equals(sourceDigest) && age < recheck.toMillis();
    }

    /** The whole rule: the record vouches, and the target's tag list has the tag. */
    static boolean upToDate(KnownTag record, String sourceDigest, Duration recheck, long now, boolean listed) {
        return listed && recordVouches(record, sourceDigest, recheck, now);
    }
}
