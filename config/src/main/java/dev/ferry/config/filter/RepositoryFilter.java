package dev.ferry.config.filter;

import java.util.List;

/**
 * Selects repositories by globs: a repository is selected when at least one include glob
 * matches it (no include globs means every repository) and no exclude glob does.
 */
public final class RepositoryFilter {

    private final List<Glob> include;
    private final List<Glob> exclude;

    private RepositoryFilter(List<Glob> include, List<Glob> exclude) {
        this.include = include;
        this.exclude = exclude;
    }

    /** Compiles the globs; a null list counts as empty. */
    public static RepositoryFilter of(List<String> include, List<String> exclude) {
        return new RepositoryFilter(compile(include), compile(exclude));
    }

    private static List<Glob> compile(List<String> patterns) {
        return patterns == null
                ? List.of()
                : patterns.stream().map(Glob::compile).toList();
    }

    public boolean matches(String repository) {
        boolean included = include.isEmpty() || include.stream().anyMatch(g -> g.matches(repository));
        return included && exclude.stream().noneMatch(g -> g.matches(repository));
    }

    /** The matching repositories, in their original order. */
    public List<String> select(List<String> repositories) {
        return repositories.stream().filter(this::matches).toList();
    }

    @Override
    public String toString() {
        return "include " + include + " exclude " + exclude;
    }
}
