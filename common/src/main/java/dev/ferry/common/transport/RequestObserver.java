package dev.ferry.common.transport;

/**
 * Told of every registry API request a client sends (streamed blob uploads aside): what it
 * was, how it ended and how long it took to the response's headers. For metrics; must not
 * block.
 */
@FunctionalInterface
public interface RequestObserver {

    RequestObserver NONE = (method, kind, status, nanos) -> {};

    /**
     * @param method the HTTP method
     * @param kind what the request was for: {@code ping}, {@code manifest}, {@code blob},
     *     {@code upload}, {@code tags}, {@code referrers}, {@code catalog} or {@code other}
     * @param status the HTTP status of the final response; 0 when no response came
     */
    void observed(String method, String kind, int status, long nanos);

    /**
     * The registry announced its pull budget on a manifest response ({@code ratelimit-limit},
     * {@code ratelimit-remaining}).
     *
     * @param limit pulls per window; -1 when not announced
     */
    default void pullBudget(long limit, long remaining) {}

    /** The kind of a distribution API path: a small fixed set, safe as a metric label. */
    static String kind(String uri) {
        String path = uri;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals("/v2/") || path.equals("/v2")) {
            return "ping";
        }
        if (path.contains("/manifests/")) {
            return "manifest";
        }
        if (path.contains("/blobs/uploads")) {
            return "upload";
        }
        if (path.contains("/blobs/")) {
            return "blob";
        }
        if (path.endsWith("/tags/list")) {
            return "tags";
        }
        if (path.contains("/referrers/")) {
            return "referrers";
        }
        if (path.endsWith("/_catalog")) {
            return "catalog";
        }
        return "other";
    }
}
