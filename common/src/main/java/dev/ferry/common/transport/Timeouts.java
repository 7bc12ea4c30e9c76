package dev.ferry.common.transport;

import java.time.Duration;

/**
 * The three limits on one registry request.
 *
 * @param connect opening the connection
 * @param firstByte from the end of the request to the response headers
 * @param idle no bytes moving in either direction
 */
public record Timeouts(Duration connect, Duration firstByte, Duration idle) {

    /** A duration for messages: "1.5s", "60s", "250ms". */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
