package dev.ferry.testing;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Apache combined-format access-log line written by distribution, e.g.
 * {@code 127.0.0.1 - - [27/Nov/2026:20:47:58 +0000] "HEAD /v2/x/blobs/sha256:... HTTP/1.1" 200 0 "" "curl/7.88.1"}.
 *
 * @param uri  request target as logged, including any query string
 * @param path {@code uri} without the query string
 */
public record AccessLogEntry(
        String remoteAddr,
        String timestamp,
        String method,
        String uri,
        String path,
        String protocol,
        int status,
        long bytes,
        String userAgent,
        String line) {

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] \"(\\S+) (\\S+) ([^\"]+)\" (\\d{3}) (\\d+|-)(?: \"([^\"]*)\" \"([^\"]*)\")?.*$");

    /** Parses a log line; empty if it is not an access-log line. */
    public static Optional<AccessLogEntry> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        String uri = m.group(4);
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        long bytes = "-".equals(m.group(7)) ? 0 : Long.parseLong(m.group(7));
        String userAgent = m.group(9) == null ? "" : m.group(9);
        return Optional.of(new AccessLogEntry(
                m.group(1),
                m.group(2),
                m.group(3),
                uri,
                path,
                m.group(5),
                Integer.parseInt(m.group(6)),
                bytes,
                userAgent,
                line));
    }

    /**
     * @param method    HTTP method, case-insensitive; {@code null} or {@code "*"} matches any
     * @param pathRegex must match the whole {@link #path()} (query string excluded); {@code null} matches any
     */
    public boolean matches(String method, Pattern pathRegex) {
        boolean methodOk = method == null || "*".equals(method) || this.method.equalsIgnoreCase(method);
        return methodOk && (pathRegex == null || pathRegex.matcher(path).matches());
    }

    @Override
    public String toString() {
        return line;
    }
}
