package dev.ferry.agent;

/**
 * No usable answer for a route. The message is safe to log: it names the server, the route
 * and what went wrong, never the token or a request header.
 */
public final class RouteFetchException extends Exception {

    private final int status;

    public RouteFetchException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the answer, or 0 when there was none. */
    public int status() {
        return status;
    }
}
