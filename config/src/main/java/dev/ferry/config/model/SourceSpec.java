package dev.ferry.config.model;

import java.util.List;

/**
 * What a policy reads: repositories of one registry, chosen by glob, and their tags.
 *
 * @param repositories globs ({@code team/*}, {@code **}, {@code {a,b}/app})
 * @param exclude globs of repositories to leave out
 */
public record SourceSpec(String registry, List<String> repositories, List<String> exclude, TagSpec tags) {}
