package dev.ferry.common.transport;

/**
 * A TLS file Ferry cannot use: missing, unreadable, not PEM, or a key that does not fit.
 * Names the setting ({@code caFile}, {@code certFile} or {@code keyFile}) so a loader can
 * point at its line and column; the message names the file and never its content.
 */
public final class TlsMaterialException extends Exception {

    private final String field;

    TlsMaterialException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** caFile, certFile or keyFile. */
    public String field() {
        return field;
    }
}
