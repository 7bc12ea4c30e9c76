package dev.ferry.common.transport;

/** Finds the {@code rel="next"} target of an RFC 8288 Link header, used by tag list and catalog pagination. */
public final class LinkHeader {

    private LinkHeader() {}

    /** Returns the next URL (often a path such as {@code /v2/x/tags/list?n=100&last=b}) or null. */
    public static String next(String header) {
        if (header == null) {
            return null;
        }
        for (String link : splitLinks(header)) {
            int open = link.indexOf('<');
            int close = link.indexOf('>', open + 1);
            if (open < 0 || close < 0) {
                continue;
            }
            String params = link.substring(close + 1);
            for (String param : params.split(";")) {
                String p = param.trim();
                int eq = p.indexOf('=');
                if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("rel")) {
                    continue;
                }
                String rel = p.substring(eq + 1).trim().replace("\"", "");
                for (String r : rel.split("\\s+")) {
                    if (r.equalsIgnoreCase("next")) {
                        return link.substring(open + 1, close).trim();
                    }
                }
            }
        }
        return null;
    }

    /** Splits on commas that are outside the angle brackets. */
    private static java.util.List<String> splitLinks(String header) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                depth++;
            } else if (!quoted && c == '>') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                out.add(header.substring(start, i));
                start = i + 1;
            }
        }
        out.add(header.substring(start));
        return out;
    }
}
