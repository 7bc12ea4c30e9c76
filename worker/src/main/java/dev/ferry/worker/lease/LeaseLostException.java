package dev.ferry.worker.lease;

/**
 * The coordinator no longer honours this lease (HTTP 409): it expired, was completed, or
 * the job was leased again with a higher fencing token. The worker must not write the tag
 * and must not complete the job; the coordinator has re-queued it.
 */
public final class LeaseLostException extends CoordinatorException {

    public LeaseLostException(String code, String message) {
        super(409, code, message, null);
    }
}
