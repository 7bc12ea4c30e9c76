package dev.ferry.config.model;

/**
 * A target's {@code replacePrefix}: a source repository whose name starts with {@code from}
 * lands with {@code to} in its place ({@code library/} to {@code mirror/} writes
 * {@code library/nginx} as {@code mirror/nginx}); other repositories keep their names.
 *
 * @param from a repository path ending in {@code /}
 * @param to a repository path ending in {@code /}, or empty to drop {@code from}
 */
public record ReplacePrefix(String from, String to) {

    public String apply(String repository) {
        return repository.startsWith(from) ? to + repository.substring(from.length()) : repository;
    }
}
