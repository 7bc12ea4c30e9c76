package dev.ferry.config.units;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human durations: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}, {@code 500ms}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("duration is empty; write e.g. 30s, 5m or 1h30m");
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int pos = 0;
        String lastUnit = null;
        while (pos < text.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\" at \"" + text.substring(pos)
                        + "\": write numbers with units ms, s, m, h, d, e.g. 30s, 5m or 1h30m");
            }
            String unit = m.group(2);
            if (lastUnit != null && rank(unit) >= rank(lastUnit)) {
                throw new IllegalArgumentException("invalid duration \"" + text
                        + "\": units must go from largest to smallest, each once (e.g. 1h30m)");
            }
            lastUnit = unit;
            try {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (unit) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\": too large");
            }
            pos = m.end();
        }
        return total;
    }

    private static int rank(String unit) {
        return switch (unit) {
            case "ms" -> 0;
            case "s" -> 1;
            case "m" -> 2;
            case "h" -> 3;
            default -> 4;
        };
    }

    /** The shortest form that {@link #parse} reads back, e.g. {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        long millis = d.toMillisPart();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (seconds > 0) {
            sb.append(seconds).append('s');
        }
        if (millis > 0) {
            sb.append(millis).append("ms");
        }
        return sb.toString();
    }
}
