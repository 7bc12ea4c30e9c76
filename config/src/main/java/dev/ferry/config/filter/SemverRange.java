package dev.ferry.config.filter;

import java.util.List;
import java.util.Objects;

/**
 * A set of versions in npm's range syntax.
 *
 * <ul>
 *   <li>Comparators separated by spaces must all hold ({@code >=1.2 <2}); {@code ||}
 *       separates alternatives ({@code ^1.2 || ~2.0}).
 *   <li>Operators {@code =}, {@code >}, {@code >=}, {@code <}, {@code <=}; an optional space may
 *       follow them ({@code >= 1.2}).
 *   <li>A partial version is an x-range: {@code 1}, {@code 1.x}, {@code 1.*} mean
 *       {@code >=1.0.0 <2.0.0}; {@code *} or {@code x} alone means any release. With operators:
 *       {@code >=1.2} is {@code >=1.2.0}, {@code <2} is {@code <2.0.0}, {@code >1.2} is
 *       {@code >=1.3.0} and {@code <=1.2} is {@code <1.3.0}.
 *   <li>{@code ~1.2.3} is {@code >=1.2.3 <1.3.0} (same minor); {@code ~1} is
 *       {@code >=1.0.0 <2.0.0}.
 *   <li>{@code ^1.2.3} is {@code >=1.2.3 <2.0.0} (same major); for 0.x the leftmost non-zero
 *       component is kept: {@code ^0.2.3} is {@code <0.3.0}, {@code ^0.0.3} is {@code <0.0.4},
 *       {@code ^0.x} is {@code <1.0.0}.
 *   <li>{@code 1.2 - 1.4} is {@code >=1.2.0 <1.5.0}; {@code 1.2.3 - 1.4.5} is
 *       {@code >=1.2.3 <=1.4.5}. The spaces around {@code -} are required.
 *   <li>A pre-release is only written on a full version ({@code >=1.2.3-rc.1}), never on a
 *       partial one, so that {@code 1.2-1.4} is reported instead of read as a pre-release.
 * </ul>
 *
 * <p>Pre-releases follow npm: a pre-release version is only contained when an alternative it
 * satisfies has a comparator with a pre-release on the same major.minor.patch. So
 * {@code >=1.2.3-rc.1} contains {@code 1.2.3-rc.2} but not {@code 1.2.4-rc.1}, and {@code ^1.2}
 * or {@code *} contain no pre-release at all. Build metadata is ignored.
 */
public final class SemverRange {

    private final String range;
    private final List<List<Bound>> alternatives;

    private SemverRange(String range, List<List<Bound>> alternatives) {
        this.range = range;
        this.alternatives = alternatives;
    }

    /** Parses {@code range}, throwing {@link FilterSyntaxException} on bad syntax. */
    public static SemverRange parse(String range) {
        if (range == null) {
            throw new IllegalArgumentException("invalid semver range: range is null");
        }
        return new SemverRange(range, RangeParser.parse(range));
    }

    public boolean contains(Semver version) {
        Objects.requireNonNull(version, "version");
        return alternatives.stream().anyMatch(bounds -> satisfies(bounds, version));
    }

    private static boolean satisfies(List<Bound> bounds, Semver version) {
        if (!bounds.stream().allMatch(bound -> bound.admits(version))) {
            return false;
        }
        return version.preRelease().isEmpty()
                || bounds.stream()
                        .anyMatch(bound -> !bound.version().preRelease().isEmpty()
                                && bound.version().sameCore(version));
    }

    /** The range as written. */
    @Override
    public String toString() {
        return range;
    }
}
