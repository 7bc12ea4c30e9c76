package dev.ferry.worker.lease;

/** The coordinator answered a commit-intent with {@code allowed: false}: the tag is not written. */
final class CommitRefusedException extends RuntimeException {
    CommitRefusedException(String message) {
        super(message);
    }
}
