package dev.ferry.config.load;

import dev.ferry.config.filter.LinearRegex;
import dev.ferry.config.units.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/** Field readers for value types: enums, durations, regexes, and checks that go with them. */
final class Values {

    private Values() {}

    static <E extends Enum<E>> E enumValue(Section s, String key, Class<E> type, List<String> names) {
        String v = s.string(key);
        if (v == null) {
            return null;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!names.contains(v)) {
            s.problem(
                    key,
                    "unknown " + key + " \"" + v + "\" (one of " + String.join(", ", names) + ")"
                            + Suggestions.hint(v, names));
            return null;
        }
        return Enum.valueOf(type, lower.toUpperCase(Locale.ROOT));
    }

    static Duration duration(Section s, String key, Duration min) {
        String v = s.string(key);
        if (v == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(v);
            if (d.compareTo(min) < 0) {
                s.problem(key, "must be at least " + Durations.format(min) + ", got " + v);
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            s.problem(key, e.getMessage());
            return null;
        }
    }

    /**
     * A duration that may also be a bare {@code 0} (YAML reads it as a number), which means
     * zero: "never wait, always do it".
     */
    static Duration durationOrZero(Section s, String key) {
        String v = s.text(key);
        if (v == null) {
            return null;
        }
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            s.problem(key, e.getMessage() + "; or 0 for none");
            return null;
        }
    }

    /**
     * Checks each regex of a list field; one that does not parse, or that needs backtracking
     * (backreferences, lookaround), is reported at its item with RE2's explanation.
     */
    static List<String> regexes(Section s, String key) {
        return checkedItems(s, key, LinearRegex::compile);
    }

    /** Checks each item of a list field with a check that throws IllegalArgumentException. */
    static List<String> checkedItems(Section s, String key, Consumer<String> check) {
        List<String> list = s.strings(key);
        if (list == null) {
            return List.of();
        }
        for (int i = 0; i < list.size(); i++) {
            try {
                check.accept(list.get(i));
            } catch (IllegalArgumentException e) {
                s.problemAtItem(key, i, e.getMessage());
            }
        }
        return list;
    }

    /** Checks a single field with a parser; returns its result or null. */
    static <T> T checked(Section s, String key, Function<String, T> parser) {
        String v = s.string(key);
        if (v == null) {
            return null;
        }
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            s.problem(key, e.getMessage());
            return null;
        }
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
