package dev.ferry.worker.lease;

/** A leased job this worker cannot run as given (a bad endpoint URL, platform, reference): failed for good. */
final class InvalidJobException extends RuntimeException {
    InvalidJobException(String message) {
        super(message);
    }
}
