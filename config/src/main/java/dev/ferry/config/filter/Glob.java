package dev.ferry.config.filter;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * A repository glob, matched against the whole repository name (case-sensitively), in linear
 * time: it is translated into an RE2/J regex.
 *
 * <ul>
 *   <li>{@code *} matches any run of characters except {@code /}; {@code ?} one character
 *       except {@code /}.
 *   <li>{@code **} matches any run including {@code /}. At the start of a segment,
 *       {@code **}{@code /} may also match nothing: {@code **}{@code /x} matches {@code x}
 *       and {@code a/b/x}; {@code a/**}{@code /b} matches {@code a/b}. {@code team/**} matches
 *       everything below {@code team/} but not {@code team} itself. Three or more stars are
 *       rejected.
 *   <li>{@code {a,b,c}} alternatives, which may hold wildcards and nest; {@code {}} is
 *       rejected, an empty alternative ({@code {a,}}) is allowed.
 *   <li>{@code [abc]}, {@code [a-z]}, negated {@code [!a-z]} or {@code [^a-z]} (a negated class
 *       never matches {@code /}); a {@code ]} member must be escaped.
 *   <li>{@code \} escapes the next character. A stray <code>&#125;</code> or {@code ]} is
 *       rejected so that typos don't become literals; everything else is literal.
 * </ul>
 */
public final class Glob {

    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern, Pattern regex) {
        this.pattern = pattern;
        this.regex = regex;
    }

    /** Compiles {@code pattern}, throwing {@link FilterSyntaxException} on bad syntax. */
    public static Glob compile(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("invalid glob: pattern is null");
        }
        return new Glob(pattern, LinearRegex.compile(GlobTranslator.toRegex(pattern), Pattern.DOTALL));
    }

    /** True when the glob matches all of {@code repository}. */
    public boolean matches(String repository) {
        return regex.matcher(Objects.requireNonNull(repository, "repository")).matches();
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Glob glob && glob.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
