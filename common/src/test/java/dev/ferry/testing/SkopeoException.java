package dev.ferry.testing;

/** A skopeo invocation failed; the message holds the (redacted) command line and stderr. */
public final class SkopeoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String stderr;

    public SkopeoException(String message, int exitCode, String stderr) {
        super(message);
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    /** -1 if it timed out or could not be started. */
    public int exitCode() {
        return exitCode;
    }

    public String stderr() {
        return stderr;
    }
}
