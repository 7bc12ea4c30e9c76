package dev.ferry.config.filter;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Selects the tags of a repository that a policy copies.
 *
 * <p>Regexes run in linear time ({@link LinearRegex}), so a registry's tag names cannot make
 * matching backtrack on an event loop. A tag is kept when it fully matches at least one include regex (no include regexes means
 * every tag), matches no exclude regex, and, when a semver range is given, is a version
 * ({@link Semver#parse}) in that range. With {@code latest: N} only the newest N of those are
 * kept, newest first: versions by precedence, highest first (equal versions such as
 * {@code v1.2} and {@code 1.2.0} by build metadata, then by tag name), then the other tags by
 * creation time, newest first, unknown times last, ties by tag name. Without {@code latest}
 * the input order is kept.
 */
public final class TagFilter {

    private record Candidate(TagInfo info, Semver version) {}

    private static final Comparator<Instant> NEWEST_FIRST = Comparator.nullsLast(Comparator.<Instant>reverseOrder());

    private final List<LinearRegex> include;
    private final List<LinearRegex> exclude;
    private final SemverRange range;
    private final Integer latest;

    private TagFilter(List<LinearRegex> include, List<LinearRegex> exclude, SemverRange range, Integer latest) {
        this.include = include;
        this.exclude = exclude;
        this.range = range;
        this.latest = latest;
    }

    /**
     * Compiles the filter; null lists count as empty, a null range or {@code latest} as absent.
     *
     * @throws IllegalArgumentException for an invalid regex or one RE2 cannot run in linear time
     *     ({@link FilterSyntaxException}), an invalid semver range, or a {@code latest} below 1
     */
    public static TagFilter of(
            List<String> includeRegex, List<String> excludeRegex, String semverRange, Integer latest) {
        if (latest != null && latest < 1) {
            throw new IllegalArgumentException("invalid latest " + latest + ": must be at least 1");
        }
        return new TagFilter(
                compile(includeRegex),
                compile(excludeRegex),
                semverRange == null ? null : SemverRange.parse(semverRange),
                latest);
    }

    private static List<LinearRegex> compile(List<String> regexes) {
        if (regexes == null) {
            return List.of();
        }
        return regexes.stream().map(LinearRegex::compile).toList();
    }

    public List<TagInfo> select(List<TagInfo> tags) {
        List<Candidate> kept = tags.stream()
                .filter(info -> included(info.tag()))
                .map(info -> new Candidate(info, Semver.parse(info.tag()).orElse(null)))
                .filter(c -> range == null || (c.version() != null && range.contains(c.version())))
                .toList();
        if (latest == null) {
            return kept.stream().map(Candidate::info).toList();
        }
        return kept.stream()
                .sorted(TagFilter::newestFirst)
                .limit(latest)
                .map(Candidate::info)
                .toList();
    }

    private static int newestFirst(Candidate a, Candidate b) {
        int c;
        if (a.version() != null && b.version() != null) {
            c = b.version().compareTo(a.version());
        } else if (a.version() != null || b.version() != null) {
            return a.version() != null ? -1 : 1;
        } else {
            c = NEWEST_FIRST.compare(a.info().created(), b.info().created());
        }
        return c != 0 ? c : a.info().tag().compareTo(b.info().tag());
    }

    /** {@link #select} for tags whose creation time is unknown. */
    public List<String> selectNames(List<String> tags) {
        return select(tags.stream().map(tag -> new TagInfo(tag, null)).toList()).stream()
                .map(TagInfo::tag)
                .toList();
    }

    private boolean included(String tag) {
        return (include.isEmpty() || include.stream().anyMatch(p -> p.matchesWhole(tag)))
                && exclude.stream().noneMatch(p -> p.matchesWhole(tag));
    }

    @Override
    public String toString() {
        return "include " + include + " exclude " + exclude
                + Optional.ofNullable(range).map(r -> " semver " + r).orElse("")
                + Optional.ofNullable(latest).map(n -> " latest " + n).orElse("");
    }
}
