package dev.ferry.config.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * A regex from a schedule file, matched in time linear in the input (RE2/J): a pattern such as
 * {@code (.*a){12}} cannot backtrack for ever on a tag from a registry. RE2 syntax is Java's
 * without backreferences, lookaround and possessive quantifiers; a pattern using them is
 * refused when it is compiled, so the loader reports it at its place in the file.
 */
public final class LinearRegex {

    /** Said after every refusal: what a user coming from java.util.regex needs to know. */
    static final String SYNTAX_HINT = "Ferry regexes use RE2 syntax, which runs in linear time and has no "
            + "backreferences, lookaround or possessive quantifiers";

    private final Pattern pattern;

    private LinearRegex(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * Compiles {@code regex}.
     *
     * @throws FilterSyntaxException naming the pattern, RE2's description and the part it refused
     */
    public static LinearRegex compile(String regex) {
        if (regex == null) {
            throw new IllegalArgumentException("invalid regex: pattern is null");
        }
        return new LinearRegex(compile(regex, 0));
    }

    /** Compiles a regex Ferry generated itself (from a glob), with RE2/J flags. */
    static Pattern compile(String regex, int flags) {
        try {
            return Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw FilterSyntaxException.ofRegex(regex, e);
        }
    }

    /** True when the regex matches all of {@code text}, as the schedule documents. */
    public boolean matchesWhole(String text) {
        return pattern.matcher(Objects.requireNonNull(text, "text")).matches();
    }

    /** True when the regex matches somewhere in {@code text}. */
    public boolean find(String text) {
        return pattern.matcher(Objects.requireNonNull(text, "text")).find();
    }

    /** The regex as written. */
    public String pattern() {
        return pattern.pattern();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinearRegex r && r.pattern().equals(pattern());
    }

    @Override
    public int hashCode() {
        return pattern().hashCode();
    }

    @Override
    public String toString() {
        return pattern();
    }
}
