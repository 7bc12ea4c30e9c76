package dev.ferry.config.filter;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A semantic version read from a container tag.
 *
 * <p>Parsing is lenient where container tags commonly are: an optional leading {@code v} or
 * {@code V}, and a missing minor or patch counts as 0 ({@code 1} and {@code 1.2} are versions,
 * and so is {@code 3.12-alpine}, as 3.12.0 with pre-release {@code alpine}). It is strict
 * where semver 2.0 is: numbers and numeric pre-release identifiers with leading zeros are
 * rejected ({@code 01.2.3}, {@code 1.2.3-rc.01}), so that every version has one spelling and
 * zero-padded calendar tags ({@code 2024.01.15}) are not mistaken for versions.
 *
 * <p>Ordering is semver 2.0 precedence: numbers compare numerically, a pre-release comes before
 * its release, numeric pre-release identifiers compare numerically and before alphanumeric
 * ones, which compare in ASCII order, and a longer identifier list wins a tie. Build metadata
 * has no precedence; it only breaks ties (none first, then ASCII order), so that
 * {@code compareTo} is total and consistent with {@code equals}.
 *
 * @param preRelease pre-release identifiers, empty for a release
 * @param build build metadata after {@code +}, or null when there is none
 */
public record Semver(int major, int minor, int patch, List<String> preRelease, String build)
        implements Comparable<Semver> {

    public Semver {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version number in " + major + "." + minor + "." + patch);
        }
        preRelease = preRelease == null ? List.of() : List.copyOf(preRelease);
        for (String id : preRelease) {
            if (!VersionText.isPreReleaseIdentifier(id)) {
                throw new IllegalArgumentException("invalid pre-release identifier '" + id + "'");
            }
        }
        if (build != null && !Arrays.stream(build.split("\\.", -1)).allMatch(VersionText::isBuildIdentifier)) {
            throw new IllegalArgumentException("invalid build metadata '" + build + "'");
        }
    }

    /** The version a tag spells, or empty when the tag is not a version (e.g. {@code latest}). */
    public static Optional<Semver> parse(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        VersionText text = VersionText.parse(tag, null);
        if (text == null || text.wildcard()) {
            return Optional.empty();
        }
        return Optional.of(new Semver(text.major(), text.minor(), text.patch(), text.preRelease(), text.build()));
    }

    @Override
    public int compareTo(Semver other) {
        int precedence = comparePrecedence(other);
        if (precedence != 0) {
            return precedence;
        }
        return Objects.compare(build, other.build, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** Semver 2.0 precedence, which ignores build metadata. */
    int comparePrecedence(Semver other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, other.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            c = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    /** True when both have the same major, minor and patch, whatever their pre-releases. */
    boolean sameCore(Semver other) {
        return major == other.major && minor == other.minor && patch == other.patch;
    }

    private static int compareIdentifiers(String a, String b) {
        boolean numericA = VersionText.isNumeric(a);
        boolean numericB = VersionText.isNumeric(b);
        if (numericA && numericB) {
            // No leading zeros, so the longer number is the larger; this needs no size limit.
            int byLength = Integer.compare(a.length(), b.length());
            return byLength != 0 ? byLength : a.compareTo(b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** The canonical spelling, e.g. {@code 1.2.0-rc.1+abc}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch
                + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease))
                + (build == null ? "" : "+" + build);
    }
}
