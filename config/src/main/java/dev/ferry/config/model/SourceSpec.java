package dev.ferry.config.model;

import java.util.List;

/**
 * What a policy reads: repositories of one registry, chosen by glob, and their tags, or
 * images named by digest.
 *
 * @param repositories globs ({@code team/*}, {@code **}, {@code {a,b}/app})
 * @param exclude globs of repositories to leave out
 * @param tags which tags to copy; null copies no tag (a policy that names only {@code digests})
 * @param digests images pinned by digest, copied as well as the tags; empty for none
 */
public record SourceSpec(
        String registry, List<String> repositories, List<String> exclude, TagSpec tags, List<PinnedDigest> digests) {

    public SourceSpec {
        digests = digests == null ? List.of() : List.copyOf(digests);
    }

    /** A source that copies tags (all of them when {@code tags} is null) and names no digest. */
    public SourceSpec(String registry, List<String> repositories, List<String> exclude, TagSpec tags) {
        this(registry, repositories, exclude, tags == null ? TagSpec.all() : tags, List.of());
    }

    /** Whether tags are copied at all: a source that names only digests copies none. */
    public boolean copiesTags() {
        return tags != null;
    }
}
