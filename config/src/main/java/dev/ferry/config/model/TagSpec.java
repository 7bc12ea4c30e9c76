package dev.ferry.config.model;

import java.util.List;

/**
 * Which tags of the matched repositories to copy.
 *
 * @param include regexes a tag must fully match one of (empty: every tag)
 * @param exclude regexes no tag may match
 * @param semver a semver range such as {@code ">=1.2 <2"}, or null
 * @param latest keep only the newest N matched tags, or null for all
 */
public record TagSpec(List<String> include, List<String> exclude, String semver, Integer latest) {

    public static TagSpec all() {
        return new TagSpec(List.of(), List.of(), null, null);
    }
}
