package dev.ferry.coordinator.error;

/**
 * An error the API reports as {@code {"error": {"code", "message"}}} with an HTTP status.
 * Messages are for people and never carry secrets.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException notFound(String what, String name) {
        return new ApiException(404, "not_found", what + " \"" + name + "\" not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException leaseLost(String leaseId) {
        return new ApiException(
                409,
                "lease_lost",
                "lease " + leaseId + " is no longer held (expired, completed or"
                        + " re-leased with a higher fencing token)");
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message);
    }
}
