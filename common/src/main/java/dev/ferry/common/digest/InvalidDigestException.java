package dev.ferry.common.digest;

/** A digest string that is malformed or names an algorithm Ferry does not support. */
public class InvalidDigestException extends IllegalArgumentException {
    public InvalidDigestException(String message) {
        super(message);
    }
}
