package dev.ferry.common.signature;

/** A public key that cannot be used: not PEM, not a public key, or of an unsupported type. Never quotes the key. */
public final class KeyFormatException extends IllegalArgumentException {

    public KeyFormatException(String message) {
        super(message);
    }
}
