package dev.ferry.common.transport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge from a {@code WWW-Authenticate} header, e.g.
 * {@code Bearer realm="https://auth.example.com/token",service="registry",scope="repository:a:pull"}.
 */
public record AuthChallenge(String scheme, Map<String, String> params) {

    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Map.copyOf(params);
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses the first challenge of the header. Registries send one; where several are
     * sent, Bearer is preferred over Basic.
     */
    public static AuthChallenge parse(String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("empty WWW-Authenticate header");
        }
        AuthChallenge first = null;
        Parser p = new Parser(header);
        while (p.hasMore()) {
            AuthChallenge c = p.challenge();
            if (c == null) {
                break;
            }
            if (c.isBearer()) {
                return c;
            }
            if (first == null) {
                first = c;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("unreadable WWW-Authenticate header");
        }
        return first;
    }

    /** A small tokenizer for {@code scheme k=v, k="v", ..., scheme2 ...}. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        boolean hasMore() {
            skip(" ,\t");
            return i < s.length();
        }

        AuthChallenge challenge() {
            String scheme = token();
            if (scheme.isEmpty()) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                skip(" \t,");
                int mark = i;
                String key = token();
                skip(" \t");
                if (key.isEmpty() || i >= s.length() || s.charAt(i) != '=') {
                    i = mark; // the next scheme starts here
                    break;
                }
                i++;
                skip(" \t");
                params.put(key.toLowerCase(Locale.ROOT), value());
            }
            return new AuthChallenge(scheme, params);
        }

        private String token() {
            int start = i;
            while (i < s.length() && " \t,=\"".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        private String value() {
            if (i < s.length() && s.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < s.length()) {
                        c = s.charAt(i++);
                    }
                    sb.append(c);
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("WWW-Authenticate header has an unterminated quoted value");
                }
                i++; // closing quote
                return sb.toString();
            }
            return token();
        }

        private void skip(String chars) {
            while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }
    }
}
