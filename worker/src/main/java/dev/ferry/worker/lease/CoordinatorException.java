package dev.ferry.worker.lease;

/**
 * The one error type of the coordinator boundary: the HTTP status (0 when no response
 * arrived), the API's error code and its message. Never carries the worker's token.
 */
public class CoordinatorException extends RuntimeException {

    private final int status;
    private final String code;

    public CoordinatorException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** No answer: connection refused, reset or timed out. */
    static CoordinatorException unreachable(String what, Throwable cause) {
        String detail = cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
        return new CoordinatorException(0, "unreachable", what + ": " + detail, cause);
    }

    public int status() {
        return status;
    }

    /** The API's error code ({@code lease_lost}, {@code bad_request}, ...), or a local one. */
    public String code() {
        return code;
    }

    /** True when the same call may succeed later: no answer, 408, 429 or a 5xx. */
    public boolean isTemporary() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
