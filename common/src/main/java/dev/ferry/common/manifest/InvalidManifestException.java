package dev.ferry.common.manifest;

/** Manifest bytes that Ferry refuses: malformed, too large, too deep, or of an unsupported type. */
public class InvalidManifestException extends RuntimeException {
    public InvalidManifestException(String message) {
        super(message);
    }

    public InvalidManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
