package dev.ferry.config.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a policy writes: a registry, and how source names become names there. A repository
 * name first loses its first {@code stripSegments} path segments, or has its
 * {@code replacePrefix} swapped, then gets {@code prefix} in front: {@code prefix: mirror/}
 * writes {@code team/app} as {@code mirror/team/app}, {@code stripSegments: 3} writes
 * {@code team/a/b/app} as {@code app}. A tag goes through {@code tag}, when set.
 *
 * @param ttl for a pre-warming policy: tags Ferry wrote here go once nobody pulled it for this
 *     long; null keeps them
 * @param stripSegments leading path segments dropped from each source repository name; 0 for none
 * @param replacePrefix null for none
 * @param tag the target tag template; null writes the source tag unchanged
 * @param recheck how long Ferry's own record of a target tag (the digest it wrote or last saw
 *     there) stands in for a HEAD while planning; null for {@link #DEFAULT_RECHECK}, zero to
 *     ask the target for every tag on every run
 */
public record TargetSpec(
        String registry,
        String prefix,
        Duration ttl,
        int stripSegments,
        ReplacePrefix replacePrefix,
        TagTemplate tag,
        Duration recheck) {

    /** The recheck period of a target that does not set one. */
    public static final Duration DEFAULT_RECHECK = Duration.ofHours(1);

    /**
     * The longest recheck period. Ferry keeps what plans and drift checks saw at target tags
     * this long, so a drift check's sighting always outlives the trust in the write it
     * contradicts.
     */
    public static final Duration MAX_RECHECK = Duration.ofDays(30);

    public TargetSpec(
            String registry,
            String prefix,
            Duration ttl,
            int stripSegments,
            ReplacePrefix replacePrefix,
            TagTemplate tag) {
        this(registry, prefix, ttl, stripSegments, replacePrefix, tag, null);
    }

    public TargetSpec(String registry, String prefix, Duration ttl) {
        this(registry, prefix, ttl, 0, null, null);
    }

    public TargetSpec(String registry, String prefix) {
        this(registry, prefix, null);
    }

    /**
     * The target repository of {@code sourceRepository}.
     *
     * @throws IllegalArgumentException when the name has no segment left after stripping
     */
    public String repositoryFor(String sourceRepository) {
        String name = sourceRepository;
        if (stripSegments > 0) {
            String[] segments = name.split("/", -1);
            if (segments.length <= stripSegments) {
                throw new IllegalArgumentException("stripSegments: " + stripSegments + " leaves nothing of \"" + name
                        + "\" (" + segments.length + " segment" + (segments.length == 1 ? "" : "s") + ")");
            }
            name = String.join("/", Arrays.asList(segments).subList(stripSegments, segments.length));
        } else if (replacePrefix != null) {
            name = replacePrefix.apply(name);
        }
        return prefix + name;
    }

    /** The target tag of {@code sourceTag}; see {@link TagTemplate#apply}. */
    public String tagFor(String sourceTag) {
        return tag == null ? sourceTag : tag.apply(sourceTag);
    }

    /** The source tag a target tag was written from; empty when this target's template cannot make it. */
    public Optional<String> sourceTagOf(String targetTag) {
        return tag == null ? Optional.of(targetTag) : tag.sourceTagOf(targetTag);
    }

    /** The recheck period in force: {@link #recheck}, or the default when it is not set. */
    public Duration recheckPeriod() {
        return recheck == null ? DEFAULT_RECHECK : recheck;
    }

    /** This target with every tag asked for at the registry on every run (recheck 0). */
    public TargetSpec alwaysRechecked() {
        return new TargetSpec(registry, prefix, ttl, stripSegments, replacePrefix, tag, Duration.ZERO);
    }

    /** Whether target repository names lead back to one source name by removing {@code prefix}. */
    public boolean onlyPrefixed() {
        return stripSegments == 0 && replacePrefix == null;
    }
}
