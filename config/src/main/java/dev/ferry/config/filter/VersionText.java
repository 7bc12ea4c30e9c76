package dev.ferry.config.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A version as tags and ranges spell it: {@code [v]N[.N[.N]][-PRE][+BUILD]}, where an N may
 * be a wildcard ({@code x}, {@code X}, {@code *}) that only wildcards may follow.
 * {@code precision} counts the numeric components given; the others are 0 here.
 */
record VersionText(
        int major,
        int minor,
        int patch,
        int precision,
        boolean wildcard,
        List<String> preRelease,
        String build,
        int preReleaseIndex) {

    /** Why text did not parse, and where (0-based index into the text). */
    record Problem(String message, int index) {}

    /** Parses {@code text}, calling back {@code onProblem} (if given) instead of throwing. */
    static VersionText parse(String text, Consumer<Problem> onProblem) {
        return new Parser(text, onProblem).parse();
    }

    /** Pre-release identifiers are non-empty [0-9A-Za-z-], and numeric ones have no leading 0. */
    static boolean isPreReleaseIdentifier(String id) {
        return isBuildIdentifier(id) && !(isNumeric(id) && id.length() > 1 && id.charAt(0) == '0');
    }

    static boolean isBuildIdentifier(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isIdentifierChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isNumeric(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (!isDigit(id.charAt(i))) {
                return false;
            }
        }
        return !id.isEmpty();
    }

    private static boolean isIdentifierChar(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static final class Parser {
        private final String text;
        private final Consumer<Problem> onProblem;
        private int pos;

        Parser(String text, Consumer<Problem> onProblem) {
            this.text = text;
            this.onProblem = onProblem;
        }

        VersionText parse() {
            if (!text.isEmpty() && (text.charAt(0) == 'v' || text.charAt(0) == 'V')) {
                pos++;
            }
            int[] numbers = new int[3];
            int precision = 0;
            boolean wildcard = false;
            for (int component = 0; ; component++) {
                int start = pos;
                if (pos < text.length() && "xX*".indexOf(text.charAt(pos)) >= 0) {
                    pos++;
                    wildcard = true;
                } else if (pos < text.length() && isDigit(text.charAt(pos))) {
                    while (pos < text.length() && isDigit(text.charAt(pos))) {
                        pos++;
                    }
                    String digits = text.substring(start, pos);
                    if (wildcard) {
                        return fail("a number cannot follow a wildcard", start);
                    }
                    if (digits.length() > 1 && digits.charAt(0) == '0') {
                        return fail("leading zero in '" + digits + "'", start);
                    }
                    if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
                        return fail("number '" + digits + "' is too large", start);
                    }
                    numbers[component] = Integer.parseInt(digits);
                    precision++;
                } else {
                    return fail("expected a number, 'x' or '*' but found " + found(), start);
                }
                if (pos >= text.length() || text.charAt(pos) != '.') {
                    break;
                }
                if (component == 2) {
                    return fail("more than three version components", pos);
                }
                pos++;
            }
            List<String> preRelease = List.of();
            int preReleaseIndex = -1;
            if (pos < text.length() && text.charAt(pos) == '-') {
                preReleaseIndex = pos++;
                preRelease = identifiers("pre-release", true);
                if (preRelease == null) {
                    return null;
                }
            }
            String build = null;
            if (pos < text.length() && text.charAt(pos) == '+') {
                int start = ++pos;
                if (identifiers("build metadata", false) == null) {
                    return null;
                }
                build = text.substring(start, pos);
            }
            if (pos < text.length()) {
                return fail("unexpected " + found(), pos);
            }
            return new VersionText(
                    numbers[0], numbers[1], numbers[2], precision, wildcard, preRelease, build, preReleaseIndex);
        }

        private List<String> identifiers(String what, boolean preRelease) {
            List<String> ids = new ArrayList<>();
            while (true) {
                int start = pos;
                while (pos < text.length() && isIdentifierChar(text.charAt(pos))) {
                    pos++;
                }
                String id = text.substring(start, pos);
                if (id.isEmpty()) {
                    fail("empty " + what + " identifier", start);
                    return null;
                }
                if (preRelease && !isPreReleaseIdentifier(id)) {
                    fail("leading zero in numeric pre-release identifier '" + id + "'", start);
                    return null;
                }
                ids.add(id);
                if (pos >= text.length() || text.charAt(pos) != '.') {
                    return List.copyOf(ids);
                }
                pos++;
            }
        }

        private String found() {
            return pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
        }

        private VersionText fail(String message, int index) {
            if (onProblem != null) {
                onProblem.accept(new Problem(message, index));
            }
            return null;
        }
    }
}
