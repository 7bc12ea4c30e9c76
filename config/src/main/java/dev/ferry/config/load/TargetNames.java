package dev.ferry.config.load;

import dev.ferry.common.reference.Reference;
import dev.ferry.config.filter.RepositoryFilter;
import dev.ferry.config.model.ReplacePrefix;
import dev.ferry.config.model.SourceSpec;
import dev.ferry.config.model.TagTemplate;
import dev.ferry.config.model.TargetSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds how a target names what it writes ({@code prefix}, {@code stripSegments},
 * {@code replacePrefix}, {@code tag}) and refuses a mapping under which two source
 * repositories the file names literally would land on one target repository.
 */
final class TargetNames {

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9._/-]*");

    private TargetNames() {}

    static String prefix(Section t) {
        String prefix = Values.or(t.string("prefix"), "");
        if (!prefix.isEmpty() && !validPrefix(prefix)) {
            t.problem(
                    "prefix",
                    "invalid prefix \"" + prefix + "\": a repository path ending in '/', e.g. \"mirror/\""
                            + " (lowercase letters and digits, separated by '.', '_', '__', '-' or '/')");
        }
        return prefix;
    }

    static int stripSegments(Section t) {
        Integer n = t.integer("stripSegments", 1, 32);
        if (n != null && t.has("replacePrefix")) {
            t.problem("stripSegments", "give stripSegments or replacePrefix, not both");
        }
        return n == null ? 0 : n;
    }

    static ReplacePrefix replacePrefix(Section t) {
        Section r = t.section("replacePrefix", "replacePrefix");
        if (r == null) {
            return null;
        }
        String from = r.requiredString("from");
        if (from != null && !validPrefix(from)) {
            r.problem(
                    "from",
                    "invalid path \"" + from + "\": the leading part of a repository name, ending in '/',"
                            + " e.g. \"library/\"");
            from = null;
        }
        if (!r.has("to")) {
            r.missing("to");
        }
        String to = Values.or(r.string("to"), "");
        if (!to.isEmpty() && !validPrefix(to)) {
            r.problem(
                    "to",
                    "invalid path \"" + to + "\": a repository path ending in '/' (e.g. \"mirror/\"), or \"\""
                            + " to drop the path");
            to = null;
        }
        return from == null || to == null ? null : new ReplacePrefix(from, to);
    }

    static TagTemplate tag(Section t) {
        String template = t.string("tag");
        if (template == null) {
            return null;
        }
        try {
            return TagTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            t.problem("tag", "invalid tag template \"" + template + "\": " + e.getMessage());
            return null;
        }
    }

    /**
     * When every repository glob of the source is a literal name, maps each one through the
     * target: a name the mapping cannot take, an invalid result, or two names landing on one
     * target repository is a problem at {@code field}.
     */
    static void checkLiteralNames(Section t, String field, SourceSpec source, TargetSpec target) {
        Optional<List<String>> literal = literalNames(source);
        if (literal.isEmpty()) {
            return; // globs: the planner checks what they match, at plan time
        }
        Map<String, String> landed = new LinkedHashMap<>();
        for (String name : literal.get()) {
            String mapped;
            try {
                mapped = target.repositoryFor(name);
            } catch (IllegalArgumentException e) {
                t.problem(field, "repository \"" + name + "\": " + e.getMessage());
                continue;
            }
            if (!validRepository(mapped)) {
                t.problem(
                        field,
                        "repository \"" + name + "\" would be written as \"" + mapped + "\", which is not a"
                                + " valid repository name");
                continue;
            }
            String other = landed.putIfAbsent(mapped, name);
            if (other != null) {
                t.problem(
                        field,
                        "source repositories \"" + other + "\" and \"" + name + "\" would both be written to \""
                                + mapped + "\" in " + target.registry()
                                + ", each overwriting the other's tags; map them apart");
            }
            if (mapped.equals(name) && target.registry().equals(source.registry())) {
                t.problem(field, "repository \"" + name + "\" would be copied onto itself in " + target.registry());
            }
        }
    }

    /** The source's repository names, when its globs are all literal, without the excluded ones. */
    private static Optional<List<String>> literalNames(SourceSpec source) {
        List<String> globs = source.repositories();
        if (globs == null
                || globs.isEmpty()
                || !globs.stream().allMatch(g -> g.chars().noneMatch(c -> "*?[]{}\\".indexOf(c) >= 0))) {
            return Optional.empty();
        }
        try {
            RepositoryFilter filter = RepositoryFilter.of(globs, source.exclude());
            return Optional.of(filter.select(globs.stream().distinct().toList()));
        } catch (RuntimeException e) {
            return Optional.empty(); // a bad glob is reported where it is bound
        }
    }

    static boolean validPrefix(String prefix) {
        return prefix.endsWith("/") && PREFIX.matcher(prefix).matches() && validRepository(prefix + "x");
    }

    private static boolean validRepository(String name) {
        try {
            Reference.parse("registry.example/" + name + ":t");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
