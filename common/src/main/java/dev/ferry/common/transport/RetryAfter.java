package dev.ferry.common.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 10.2.3). */
public final class RetryAfter {

    /** Never wait longer than this on a registry's say-so. */
    static final Duration MAX = Duration.ofMinutes(15);

    private RetryAfter() {}

    /** Returns null when the header is absent or unreadable. */
    public static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : clamp(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(clock.instant(), when);
                return d.isNegative() ? Duration.ZERO : clamp(d);
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
