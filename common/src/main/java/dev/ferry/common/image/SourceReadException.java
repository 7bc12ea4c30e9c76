package dev.ferry.common.image;

import dev.ferry.common.transport.RegistryException;

/**
 * A blob's source failed (stalled past its idle timeout, cut the connection, ...) while the
 * blob was streaming into an upload. The upload fails with it, but the fault is the
 * source's: health and circuit breakers count it against the source, never against the
 * target that was receiving. Keeps the source error's status, codes and retryability.
 */
public final class SourceReadException extends RegistryException {

    private final String source;

    /**
     * @param source the source as users know it (registry host or layout directory)
     * @param cause the source stream's own error
     */
    public SourceReadException(String source, RegistryException cause) {
        super(
                "reading from the source " + source + ": " + cause.getMessage(),
                cause.status(),
                cause.errors(),
                cause.retryAfter().orElse(null),
                cause);
        this.source = source;
    }

    /** A failure of the source stream as this type; a non-registry error (a file's I/O error) becomes a network-like one. */
    public static SourceReadException of(String source, Throwable e) {
        if (e instanceof SourceReadException already) {
            return already;
        }
        RegistryException re = e instanceof RegistryException r ? r : RegistryException.network("read blob", e);
        return new SourceReadException(source, re);
    }

    public String source() {
        return source;
    }
}
