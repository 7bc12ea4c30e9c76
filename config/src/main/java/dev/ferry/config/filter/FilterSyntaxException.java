package dev.ferry.config.filter;

import com.google.re2j.PatternSyntaxException;

/**
 * A filter pattern (glob, regex, semver range) in a schedule file that cannot be compiled.
 * The message names the pattern and the problem, e.g.
 * {@code invalid glob "team/{a,b": unclosed '{' at column 6}.
 */
public final class FilterSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String pattern;
    private final int column;

    private FilterSyntaxException(String message, String pattern, int column) {
        super(message);
        this.pattern = pattern;
        this.column = column;
    }

    /** {@code column} is 1-based within the pattern; 0 when the problem has no position. */
    static FilterSyntaxException of(String kind, String pattern, String problem, int column) {
        String where = column > 0 ? " at column " + column : "";
        return new FilterSyntaxException(
                "invalid " + kind + " \"" + pattern + "\": " + problem + where, pattern, column);
    }

    /**
     * Keeps RE2's own description and the part of the pattern it refused (RE2/J gives no index),
     * e.g. {@code invalid regex "(a)\1": invalid escape sequence: `\1` (Ferry regexes use RE2 ...)}.
     */
    static FilterSyntaxException ofRegex(String pattern, PatternSyntaxException cause) {
        String description = cause.getDescription();
        String message = cause.getMessage();
        String marker = description + ": ";
        int at = message == null ? -1 : message.indexOf(marker);
        String part = at < 0 ? "" : ": " + message.substring(at + marker.length());
        FilterSyntaxException e = new FilterSyntaxException(
                "invalid regex \"" + pattern + "\": " + description + part + " (" + LinearRegex.SYNTAX_HINT + ")",
                pattern,
                0);
        e.initCause(cause);
        return e;
    }

    /** The pattern as written in the schedule file. */
    public String pattern() {
        return pattern;
    }

    /** 1-based column of the problem within {@link #pattern()}, or 0 when unknown. */
    public int column() {
        return column;
    }
}
