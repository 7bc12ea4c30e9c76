package dev.ferry.config.units;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate in bytes per second, written with a unit: {@code 200MiB/s}, {@code 50MB/s},
 * {@code 1Gbit/s}, {@code 1.5Gbit/s}. Binary prefixes (KiB, MiB, GiB) are powers of 1024;
 * decimal ones (KB, MB, GB) and all bit rates are powers of 1000, as network people write them.
 */
public record Bandwidth(long bytesPerSecond, String text) {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*((?:[KMGT]i?)?B|[KMGT]?bit)/s");

    public static Bandwidth parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("bandwidth is empty; write e.g. 200MiB/s or 1Gbit/s");
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid bandwidth \"" + text
                    + "\": write a number and a unit per second, e.g. 200MiB/s, 50MB/s or 1Gbit/s");
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        String unit = m.group(2);
        BigDecimal factor = BigDecimal.valueOf(factor(unit));
        if (unit.endsWith("bit")) {
            factor = factor.divide(BigDecimal.valueOf(8));
        }
        long bytes;
        try {
            bytes = amount.multiply(factor)
                    .setScale(0, java.math.RoundingMode.DOWN)
                    .longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid bandwidth \"" + text + "\": too large");
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException(
                    "invalid bandwidth \"" + text + "\": must be more than 0 bytes per second");
        }
        return new Bandwidth(bytes, text.trim());
    }

    private static long factor(String unit) {
        boolean binary = unit.endsWith("iB");
        long base = binary ? 1024 : 1000;
        char prefix = unit.charAt(0);
        int power = switch (prefix) {
            case 'K' -> 1;
            case 'M' -> 2;
            case 'G' -> 3;
            case 'T' -> 4;
            default -> 0;
        };
        long f = 1;
        for (int i = 0; i < power; i++) {
            f *= base;
        }
        return f;
    }

    @Override
    public String toString() {
        return text + String.format(Locale.ROOT, " (%d bytes/s)", bytesPerSecond);
    }
}
