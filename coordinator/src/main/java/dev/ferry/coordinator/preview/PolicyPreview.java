package dev.ferry.coordinator.preview;

import java.util.List;

/**
 * What a sync of one policy would do now, found by reading only: nothing is copied, deleted,
 * queued or recorded. See {@link PlanPreview}.
 *
 * @param onConflict the policy's {@code onConflict}, as in YAML
 * @param targets one per target of the policy, in policy order
 * @param links bytes the copies would move per link (source region to target region)
 * @param warnings what may not be what the user meant (a filter that matched nothing)
 * @param errors what could not be checked; such a plan is incomplete
 */
public record PolicyPreview(
        String policy,
        String onConflict,
        List<TargetPreview> targets,
        List<LinkTransfer> links,
        List<String> warnings,
        List<String> errors) {

    public PolicyPreview {
        targets = List.copyOf(targets);
        links = List.copyOf(links);
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
    }

    /** True when a sync would hit no conflict and every part could be checked. */
    public boolean clean() {
        return errors.isEmpty() && targets.stream().allMatch(t -> t.conflicts().isEmpty());
    }

    /**
     * One target of the policy.
     *
     * @param copies tags that would be copied (absent at the target, or Ferry's own older write)
     * @param upToDate tags the target already holds with the source digest
     * @param conflicts tags someone else wrote at the target, with what the policy would do
     * @param deletes target tags {@code propagateDeletes} would delete (their source tag is gone)
     * @param expiries target tags the target's {@code ttl} would expire
     */
    public record TargetPreview(
            String registry,
            List<TagLine> copies,
            List<TagLine> upToDate,
            List<Conflict> conflicts,
            List<String> deletes,
            List<String> expiries) {

        public TargetPreview {
            copies = List.copyOf(copies);
            upToDate = List.copyOf(upToDate);
            conflicts = List.copyOf(conflicts);
            deletes = List.copyOf(deletes);
            expiries = List.copyOf(expiries);
        }
    }

    /**
     * One tag at one target.
     *
     * @param targetDigest what the target tag holds now; null when absent
     */
    public record TagLine(
            String sourceRepository, String targetRepository, String tag, String sourceDigest, String targetDigest) {}

    /**
     * A tag whose target holds a digest Ferry did not write there.
     *
     * @param lastWritten what Ferry last wrote there, or null (never, or no history at hand)
     * @param action what the sync would do: {@code overwrite}, {@code backup} (as TAG), {@code skip},
     *     {@code fail}, or {@code refuse} for an immutable tag
     * @param explanation the same in a sentence
     */
    public record Conflict(TagLine tag, String lastWritten, String action, String explanation) {}

    /**
     * Bytes to move over one link.
     *
     * @param from the source registry's region
     * @param to the target registry's region
     * @param bytes the sizes of the blobs and manifests the targets lack, a blob shared by several
     *     copies to one target registry counted once
     * @param blobs how many distinct blobs that is
     * @param bytesPerSecond the link's quota; null when the schedule sets none
     * @param estimatedSeconds {@code bytes / bytesPerSecond}, rounded up; null without a quota
     */
    public record LinkTransfer(
            String from, String to, long bytes, int blobs, Long bytesPerSecond, Long estimatedSeconds) {}
}
