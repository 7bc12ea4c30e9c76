package dev.ferry.testing;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One request a {@link FaultProxy} received.
 *
 * @param method   HTTP method
 * @param target   path and query as sent by the client
 * @param arrived  when the proxy had read the request's head
 * @param status   status line sent to the client (relayed or faked); 0 if none was sent (stall, cut
 *                 request body, connection lost)
 * @param answered when that status line was written to the client; {@code null} if none was
 * @param fault    the fault applied, {@code null} if the request was forwarded untouched
 * @param headers  request headers by lower-case name (first value); of {@code Authorization} only its scheme
 */
public record ProxiedRequest(
        String method,
        String target,
        Instant arrived,
        int status,
        Instant answered,
        ProxyFault.Kind fault,
        Map<String, String> headers) {

    /** {@link #target()} without the query string. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * @param method    case-insensitive; {@code null} or {@code "*"} matches any
     * @param pathRegex must match the whole {@link #path()}; {@code null} matches any
     */
    public boolean matches(String method, Pattern pathRegex) {
        boolean methodOk = method == null || "*".equals(method) || this.method.equalsIgnoreCase(method);
        return methodOk && (pathRegex == null || pathRegex.matcher(path()).matches());
    }

    @Override
    public String toString() {
        return arrived + " " + method + " " + target + " -> " + (status == 0 ? "no answer" : status)
                + (fault == null ? "" : " [" + fault + "]");
    }
}
