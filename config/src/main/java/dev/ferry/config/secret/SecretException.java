package dev.ferry.config.secret;

/** A secret that cannot be had: the message names where it was looked for, never a value. */
public class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }
}
