package dev.ferry.config.filter;

/**
 * Translates a repository glob into an equivalent regular expression, rejecting bad syntax
 * with the column of the offending character.
 */
final class GlobTranslator {

    private final String glob;
    private final StringBuilder regex = new StringBuilder();
    private int pos;

    private GlobTranslator(String glob) {
        this.glob = glob;
    }

    static String toRegex(String glob) {
        if (glob.isEmpty()) {
            throw error(glob, "pattern is empty", -1);
        }
        GlobTranslator translator = new GlobTranslator(glob);
        translator.sequence(true, false);
        return translator.regex.toString();
    }

    /**
     * Translates up to the end of the pattern or, inside braces, up to the next ',' or '}'.
     * {@code segmentStart} tells whether the previous character was a '/' (or there was none),
     * which is where {@code **}{@code /} may also match nothing.
     */
    private void sequence(boolean segmentStart, boolean inBraces) {
        boolean atSegmentStart = segmentStart;
        while (pos < glob.length()) {
            char c = glob.charAt(pos);
            if (inBraces && (c == ',' || c == '}')) {
                return;
            }
            switch (c) {
                case '*' -> atSegmentStart = stars(atSegmentStart);
                case '?' -> {
                    pos++;
                    regex.append("[^/]");
                    atSegmentStart = false;
                }
                case '{' -> {
                    alternatives(atSegmentStart);
                    atSegmentStart = false;
                }
                case '[' -> {
                    characterClass();
                    atSegmentStart = false;
                }
                case '}', ']' -> throw error(glob, "unmatched '" + c + "'", pos);
                case '\\' -> {
                    pos++;
                    if (pos >= glob.length()) {
                        throw error(glob, "trailing '\\'", pos - 1);
                    }
                    atSegmentStart = literal();
                }
                default -> atSegmentStart = literal();
            }
        }
    }

    private boolean stars(boolean segmentStart) {
        int start = pos;
        while (pos < glob.length() && glob.charAt(pos) == '*') {
            pos++;
        }
        int count = pos - start;
        if (count > 2) {
            throw error(glob, "unsupported wildcard '" + "*".repeat(count) + "'", start);
        }
        if (count == 1) {
            regex.append("[^/]*");
            return false;
        }
        // "**/" at the start of a segment also matches no directory at all: "**/x" matches "x".
        if (segmentStart && pos < glob.length() && glob.charAt(pos) == '/') {
            pos++;
            regex.append("(?:.*/)?");
            return true;
        }
        regex.append(".*");
        return false;
    }

    private void alternatives(boolean segmentStart) {
        int open = pos++;
        if (pos < glob.length() && glob.charAt(pos) == '}') {
            throw error(glob, "empty alternative list '{}'", open);
        }
        regex.append("(?:");
        while (true) {
            sequence(segmentStart, true);
            if (pos >= glob.length()) {
                throw error(glob, "unclosed '{'", open);
            }
            if (glob.charAt(pos++) == '}') {
                break;
            }
            regex.append('|');
        }
        regex.append(')');
    }

    private void characterClass() {
        int open = pos++;
        boolean negated = pos < glob.length() && (glob.charAt(pos) == '!' || glob.charAt(pos) == '^');
        if (negated) {
            pos++;
        }
        StringBuilder members = new StringBuilder();
        while (true) {
            if (pos >= glob.length()) {
                throw error(glob, "unclosed '['", open);
            }
            if (glob.charAt(pos) == ']') {
                pos++;
                break;
            }
            int rangeStart = pos;
            int low = classMember(open);
            if (pos + 1 < glob.length() && glob.charAt(pos) == '-' && glob.charAt(pos + 1) != ']') {
                pos++;
                int high = classMember(open);
                if (high < low) {
                    throw error(
                            glob,
                            "invalid range '" + glob.substring(rangeStart, pos) + "' in character class",
                            rangeStart);
                }
                members.append(hex(low)).append('-').append(hex(high));
            } else {
                members.append(hex(low));
            }
        }
        if (members.isEmpty()) {
            throw error(glob, "empty character class", open);
        }
        // Like '*' and '?', a negated class never matches the path separator.
        regex.append(negated ? "[^/" : "[").append(members).append(']');
    }

    private int classMember(int open) {
        if (glob.charAt(pos) == '\\') {
            pos++;
            if (pos >= glob.length()) {
                throw error(glob, "trailing '\\'", pos - 1);
            }
        }
        int codePoint = glob.codePointAt(pos);
        pos += Character.charCount(codePoint);
        return codePoint;
    }

    /** Appends the character at {@code pos} literally; returns whether it was a '/'. */
    private boolean literal() {
        int codePoint = glob.codePointAt(pos);
        pos += Character.charCount(codePoint);
        boolean plain = codePoint < 128 && Character.isLetterOrDigit(codePoint);
        regex.append(plain ? Character.toString(codePoint) : hex(codePoint));
        return codePoint == '/';
    }

    private static String hex(int codePoint) {
        return "\\x{" + Integer.toHexString(codePoint) + "}";
    }

    private static FilterSyntaxException error(String glob, String problem, int index) {
        return FilterSyntaxException.of("glob", glob, problem, index + 1);
    }
}
