package dev.ferry.config.filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Counts, for each tag regex or repository glob of a policy, the names it was tried on and
 * whether any matched, so that a pattern matching nothing can be reported instead of silently
 * copying nothing. Patterns match the whole name; when a pattern matches nothing whole but a
 * close variant would (a prefix, a substring, a glob crossing {@code /}), the warning suggests
 * it. Thread-safe: a plan observes repositories concurrently.
 */
public final class UnmatchedPatterns {

    private final String kind;
    private final List<Entry> entries;
    private final AtomicLong tried = new AtomicLong();

    private record Entry(
            String field,
            String pattern,
            Predicate<String> whole,
            List<Variant> variants,
            java.util.concurrent.atomic.AtomicBoolean matched,
            java.util.concurrent.atomic.AtomicReference<String> hint) {}

    /** A looser pattern a user may have meant, with its test. */
    private record Variant(String pattern, Predicate<String> test) {}

    private UnmatchedPatterns(String kind, List<Entry> entries) {
        this.kind = kind;
        this.entries = entries;
    }

    /**
     * For a policy's tag regexes.
     *
     * @param field where the lists are in the schedule, e.g. {@code policies[0].source.tags}
     */
    public static UnmatchedPatterns forTags(String field, List<String> include, List<String> exclude) {
        List<Entry> entries = new ArrayList<>();
        addRegexes(entries, field + ".include", include);
        addRegexes(entries, field + ".exclude", exclude);
        return new UnmatchedPatterns("tag", entries);
    }

    /**
     * For a policy's repository globs.
     *
     * @param field where the source is in the schedule, e.g. {@code policies[0].source}
     */
    public static UnmatchedPatterns forRepositories(String field, List<String> include, List<String> exclude) {
        List<Entry> entries = new ArrayList<>();
        addGlobs(entries, field + ".repositories", include);
        addGlobs(entries, field + ".exclude", exclude);
        return new UnmatchedPatterns("repository", entries);
    }

    private static void addRegexes(List<Entry> entries, String field, List<String> patterns) {
        if (patterns == null) {
            return;
        }
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            LinearRegex whole = LinearRegex.compile(p);
            entries.add(entry(field + "[" + i + "]", p, whole::matchesWhole, regexVariants(p)));
        }
    }

    private static void addGlobs(List<Entry> entries, String field, List<String> patterns) {
        if (patterns == null) {
            return;
        }
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            entries.add(entry(field + "[" + i + "]", p, Glob.compile(p)::matches, globVariants(p)));
        }
    }

    private static Entry entry(String field, String pattern, Predicate<String> whole, List<Variant> variants) {
        return new Entry(
                field,
                pattern,
                whole,
                variants,
                new java.util.concurrent.atomic.AtomicBoolean(),
                new java.util.concurrent.atomic.AtomicReference<>());
    }

    /** {@code ^v2} meant as a prefix: {@code v2.*}; {@code rc} meant anywhere: {@code .*rc.*}. */
    static List<Variant> regexVariants(String pattern) {
        String core = pattern;
        if (core.startsWith("^")) {
            core = core.substring(1);
        }
        if (core.endsWith("$") && !core.endsWith("\\$")) {
            core = core.substring(0, core.length() - 1);
        }
        List<Variant> variants = new ArrayList<>();
        for (String candidate : List.of(core, core + ".*", ".*" + core, ".*" + core + ".*")) {
            if (!candidate.equals(pattern)
                    && variants.stream().noneMatch(v -> v.pattern().equals(candidate))) {
                try {
                    variants.add(new Variant(candidate, LinearRegex.compile(candidate)::matchesWhole));
                } catch (IllegalArgumentException e) {
                    // a variant RE2 refuses is simply not suggested
                }
            }
        }
        return variants;
    }

    /** {@code team/*} meant across {@code /}: {@code team/**}; {@code team} meant as a prefix: {@code team/**}. */
    static List<Variant> globVariants(String pattern) {
        List<String> candidates = new ArrayList<>();
        if (pattern.contains("*") && !pattern.contains("**")) {
            candidates.add(pattern.replace("*", "**"));
        }
        candidates.add(pattern.endsWith("/") ? pattern + "**" : pattern + "/**");
        candidates.add(pattern + "*");
        candidates.add("**/" + pattern);
        List<Variant> variants = new ArrayList<>();
        for (String candidate : candidates) {
            try {
                variants.add(new Variant(candidate, Glob.compile(candidate)::matches));
            } catch (IllegalArgumentException e) {
                // not a glob: not suggested
            }
        }
        return variants;
    }

    /** Tries every pattern on {@code names} (one repository's tags, or a registry's catalog). */
    public void observe(Collection<String> names) {
        tried.addAndGet(names.size());
        for (Entry e : entries) {
            if (e.matched().get()) {
                continue;
            }
            for (String name : names) {
                if (e.whole().test(name)) {
                    e.matched().set(true);
                    break;
                }
                if (e.hint().get() == null) {
                    e.variants().stream()
                            .filter(v -> v.test().test(name))
                            .findFirst()
                            .ifPresent(v -> e.hint().compareAndSet(null, v.pattern()));
                }
            }
        }
    }

    /** How many names the patterns were tried on. */
    public long tried() {
        return tried.get();
    }

    /**
     * One line per pattern that matched none of the names it was tried on; none when no name was
     * seen (nothing to judge by).
     */
    public List<String> warnings() {
        if (tried.get() == 0) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        for (Entry e : entries) {
            if (e.matched().get()) {
                continue;
            }
            long n = tried.get();
            String names = n == 1 ? kind : kind.equals("repository") ? "repositories" : kind + "s";
            StringBuilder s = new StringBuilder()
                    .append(e.field())
                    .append(": ")
                    .append(kind)
                    .append(" pattern \"")
                    .append(e.pattern())
                    .append("\" matched none of the ")
                    .append(n)
                    .append(' ')
                    .append(names)
                    .append(" it was tried on");
            String hint = e.hint().get();
            if (hint != null) {
                s.append(
                        kind.equals("tag")
                                ? "; patterns match the whole tag name: did you mean \"" + hint + "\"?"
                                : "; globs match the whole repository name and * stops at /: did you mean \"" + hint
                                        + "\"?");
            }
            warnings.add(s.toString());
        }
        return warnings;
    }
}
