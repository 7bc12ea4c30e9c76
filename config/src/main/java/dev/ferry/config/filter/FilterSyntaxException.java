package dev.ferry.config.filter;

import java.util.regex.PatternSyntaxException;

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

  /** Keeps java.util.regex's own description and index, which users can look up. */
  static FilterSyntaxException ofRegex(String pattern, PatternSyntaxException cause) {
    int index = cause.getIndex();
    String near = index >= 0 ? " near index " + index : "";
    FilterSyntaxException e = new FilterSyntaxException(
        "invalid regex \"" + pattern + "\": " + cause.getDescription() + near,
        pattern, index >= 0 ? index + 1 : 0);
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
