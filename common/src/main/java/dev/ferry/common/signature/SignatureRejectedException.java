package dev.ferry.common.signature;

/**
 * An image failed its policy's signature rule: unsigned, signed by another key, or signed
 * for another digest. The job ends {@code rejected}; nothing is written.
 */
public class SignatureRejectedException extends RuntimeException {

    public SignatureRejectedException(String message) {
        super(message, null, false, false);
    }
}
