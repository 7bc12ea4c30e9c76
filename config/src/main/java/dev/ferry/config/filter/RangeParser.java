package dev.ferry.config.filter;

import dev.ferry.config.filter.Bound.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the npm-style range grammar into alternatives of ANDed {@link Bound}s, desugaring
 * x-ranges, partial versions, {@code ~}, {@code ^} and hyphen ranges. An empty alternative
 * matches every release.
 */
final class RangeParser {

    private record Token(String text, int index) {}

    private static final String OPERATOR_CHARS = "<>=^~!";
    private static final List<String> OPERATORS = List.of("", "=", ">", ">=", "<", "<=", "^", "~");

    private final String range;

    private RangeParser(String range) {
        this.range = range;
    }

    static List<List<Bound>> parse(String range) {
        return new RangeParser(range).alternatives();
    }

    private List<List<Bound>> alternatives() {
        if (range.isBlank()) {
            throw error("range is empty", -1);
        }
        List<List<Bound>> alternatives = new ArrayList<>();
        int start = 0;
        while (true) {
            int bar = range.indexOf('|', start);
            int end = bar < 0 ? range.length() : bar;
            if (range.substring(start, end).isBlank()) {
                throw error("empty alternative next to '||'", start == 0 ? end : start - 2);
            }
            alternatives.add(comparators(tokens(start, end)));
            if (bar < 0) {
                return alternatives;
            }
            if (bar + 1 >= range.length() || range.charAt(bar + 1) != '|') {
                throw error("single '|' (use '||' between alternatives)", bar);
            }
            start = bar + 2;
        }
    }

    private List<Token> tokens(int start, int end) {
        List<Token> tokens = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            if (Character.isWhitespace(range.charAt(pos))) {
                pos++;
                continue;
            }
            int tokenStart = pos;
            while (pos < end && !Character.isWhitespace(range.charAt(pos))) {
                pos++;
            }
            tokens.add(new Token(range.substring(tokenStart, pos), tokenStart));
        }
        return tokens;
    }

    private List<Bound> comparators(List<Token> tokens) {
        List<Bound> bounds = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (i + 2 < tokens.size() && tokens.get(i + 1).text().equals("-")) {
                hyphen(token, tokens.get(i + 2), bounds);
                i += 2;
            } else if (token.text().equals("-")) {
                throw error("a hyphen range needs a version on both sides of '-'", token.index());
            } else if (isOperatorOnly(token.text())) {
                // An operator separated from its version by spaces: ">= 1.2".
                if (i + 1 >= tokens.size()) {
                    throw error("operator '" + token.text() + "' without a version", token.index());
                }
                comparator(token.text(), token.index(), tokens.get(++i), bounds);
            } else {
                int opLength = operatorLength(token.text());
                Token version = new Token(token.text().substring(opLength), token.index() + opLength);
                comparator(token.text().substring(0, opLength), token.index(), version, bounds);
            }
        }
        return bounds;
    }

    private void comparator(String op, int opIndex, Token versionToken, List<Bound> bounds) {
        if (!OPERATORS.contains(op)) {
            throw error("unknown operator '" + op + "'", opIndex);
        }
        VersionText v = version(versionToken);
        if (v.precision() == 0) {
            if (op.equals("<") || op.equals(">")) {
                throw error("'" + op + versionToken.text() + "' matches no version", opIndex);
            }
            return; // "*", ">=*", "~*" ...: any release
        }
        Semver low = new Semver(v.major(), v.minor(), v.patch(), v.preRelease(), null);
        boolean exact = v.precision() == 3;
        switch (op) {
            case "", "=" -> {
                if (exact) {
                    bounds.add(new Bound(Op.EQ, low));
                } else {
                    bounds.add(new Bound(Op.GE, low));
                    bounds.add(new Bound(Op.LT, nextAfter(v, versionToken)));
                }
            }
            case ">=" -> bounds.add(new Bound(Op.GE, low));
            case ">" -> bounds.add(exact ? new Bound(Op.GT, low) : new Bound(Op.GE, nextAfter(v, versionToken)));
            case "<" -> bounds.add(new Bound(Op.LT, low));
            case "<=" -> bounds.add(exact ? new Bound(Op.LE, low) : new Bound(Op.LT, nextAfter(v, versionToken)));
            case "~" -> {
                bounds.add(new Bound(Op.GE, low));
                bounds.add(
                        new Bound(Op.LT, v.precision() == 1 ? nextMajor(v, versionToken) : nextMinor(v, versionToken)));
            }
            case "^" -> {
                bounds.add(new Bound(Op.GE, low));
                bounds.add(new Bound(Op.LT, caretLimit(v, versionToken)));
            }
            default -> throw new IllegalStateException(op);
        }
    }

    /** {@code ^} keeps the leftmost non-zero component among those given. */
    private Semver caretLimit(VersionText v, Token at) {
        if (v.major() > 0 || v.precision() == 1) {
            return nextMajor(v, at);
        }
        if (v.minor() > 0 || v.precision() == 2) {
            return nextMinor(v, at);
        }
        return new Semver(0, 0, bump(v.patch(), at), List.of(), null);
    }

    private void hyphen(Token from, Token to, List<Bound> bounds) {
        for (Token end : List.of(from, to)) {
            if (operatorLength(end.text()) > 0) {
                throw error("a hyphen range cannot have operators", end.index());
            }
        }
        VersionText low = version(from);
        VersionText high = version(to);
        if (low.precision() > 0) {
            bounds.add(new Bound(Op.GE, new Semver(low.major(), low.minor(), low.patch(), low.preRelease(), null)));
        }
        if (high.precision() == 3) {
            bounds.add(new Bound(Op.LE, new Semver(high.major(), high.minor(), high.patch(), high.preRelease(), null)));
        } else if (high.precision() > 0) {
            bounds.add(new Bound(Op.LT, nextAfter(high, to)));
        }
    }

    /** The first version above the x-range a partial version stands for: 1.2 -> 1.3.0. */
    private Semver nextAfter(VersionText v, Token at) {
        return v.precision() == 1 ? nextMajor(v, at) : nextMinor(v, at);
    }

    private Semver nextMajor(VersionText v, Token at) {
        return new Semver(bump(v.major(), at), 0, 0, List.of(), null);
    }

    private Semver nextMinor(VersionText v, Token at) {
        return new Semver(v.major(), bump(v.minor(), at), 0, List.of(), null);
    }

    private int bump(int n, Token at) {
        if (n == Integer.MAX_VALUE) {
            throw error("version number " + n + " is too large", at.index());
        }
        return n + 1;
    }

    private VersionText version(Token token) {
        VersionText v = VersionText.parse(token.text(), problem -> {
            throw error(problem.message(), token.index() + problem.index());
        });
        if (!v.preRelease().isEmpty() && (v.precision() < 3)) {
            throw error(
                    "a pre-release needs a full MAJOR.MINOR.PATCH version"
                            + " (put spaces around '-' for a hyphen range)",
                    token.index() + v.preReleaseIndex());
        }
        return v;
    }

    private static boolean isOperatorOnly(String text) {
        return operatorLength(text) == text.length();
    }

    private static int operatorLength(String text) {
        int n = 0;
        while (n < text.length() && OPERATOR_CHARS.indexOf(text.charAt(n)) >= 0) {
            n++;
        }
        return n;
    }

    private FilterSyntaxException error(String problem, int index) {
        return FilterSyntaxException.of("semver range", range, problem, index + 1);
    }
}
