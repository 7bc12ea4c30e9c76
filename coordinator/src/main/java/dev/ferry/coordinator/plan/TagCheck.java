package dev.ferry.coordinator.plan;

/**
 * What a plan saw for one tag at one target: the source digest and the target's. Kept only
 * when a plan is asked for them ({@link Planner#preview}), for a dry run to explain itself.
 *
 * @param targetDigest what the target tag holds now; null when the tag is absent
 */
public record TagCheck(
        String sourceRepository,
        String tag,
        String sourceDigest,
        String targetRegistry,
        String targetRepository,
        String targetDigest) {

    /** True when the target already holds the source digest. */
    public boolean upToDate() {
        return sourceDigest.equals(targetDigest);
    }
}
