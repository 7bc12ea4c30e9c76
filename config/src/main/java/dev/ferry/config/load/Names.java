package dev.ferry.config.load;

import dev.ferry.config.yaml.Location;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names declared in one list (registries, policies, routes): refuses duplicates and
 * names unfit for URLs, and checks references against them with a "did you mean".
 */
final class Names {

    /** Names appear in API paths and metrics labels: keep them simple. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62})");

    private final String kind;
    private final Map<String, Location> declared = new LinkedHashMap<>();

    Names(String kind) {
        this.kind = kind;
    }

    /** Declares a name; reports a duplicate or a malformed one. */
    void declare(Section s, String key, String name) {
        if (name == null) {
            return;
        }
        if (!NAME.matcher(name).matches()) {
            s.problem(
                    key,
                    "invalid " + kind + " name \"" + name
                            + "\": use 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Location first = declared.get(name);
        if (first != null) {
            s.problem(
                    key, "duplicate " + kind + " name \"" + name + "\" (first declared at line " + first.line() + ")");
            return;
        }
        declared.put(name, s.at(key));
    }

    boolean contains(String name) {
        return declared.containsKey(name);
    }

    Collection<String> all() {
        return declared.keySet();
    }

    /** Reports a reference to an undeclared name at the referring field. */
    void checkReference(Section s, String key, String name) {
        if (name != null && !declared.containsKey(name)) {
            s.problem(key, unknown(name));
        }
    }

    void checkReferenceItem(Section s, String key, int index, String name) {
        if (name != null && !declared.containsKey(name)) {
            s.problemAtItem(key, index, unknown(name));
        }
    }

    private String unknown(String name) {
        String known = declared.isEmpty() ? "none are declared" : "declared: " + String.join(", ", declared.keySet());
        return "unknown " + kind + " \"" + name + "\" (" + known + ")" + Suggestions.hint(name, declared.keySet());
    }
}
