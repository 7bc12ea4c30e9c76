package dev.ferry.testing;

/**
 * A position in a {@link RegistryProcess} log; see {@link RegistryProcess#mark()}.
 *
 * @param line number of log lines that existed when the mark was taken
 */
public record LogMark(int line) {

    public static final LogMark START = new LogMark(0);

    public LogMark {
        if (line < 0) {
            throw new IllegalArgumentException("line < 0");
        }
    }
}
