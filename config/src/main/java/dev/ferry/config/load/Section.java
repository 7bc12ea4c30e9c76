package dev.ferry.config.load;

import dev.ferry.config.yaml.Location;
import dev.ferry.config.yaml.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mapping of the schedule bound to its section in {@link Fields}: typed reads of its
 * fields, each of which reports a wrong type at the value's location, and a check that
 * it holds no unknown field. Reads return null when a field is absent or wrong, so the
 * loader carries on and reports every problem at once.
 *
 * <p>Over 300 lines because one small typed getter per kind of value (string, number, duration, list, map, enum), each reporting problems at the value's line and column.
 */
final class Section {

    private final Node.Mapping node;
    private final String name;
    private final String path;
    private final Problems problems;

    Section(Node.Mapping node, String name, String path, Problems problems) {
        this.node = node;
        this.name = name;
        this.path = path;
        this.problems = problems;
        List<String> known = Fields.of(name);
        node.entries().keySet().stream()
                .filter(k -> !known.contains(k))
                .forEach(k -> problems.add(
                        node.keyLocations().get(k),
                        path(k),
                        "unknown field \"" + k + "\" in " + describe() + Suggestions.hint(k, known)));
    }

    /** Binds the document root, which must be a mapping. */
    static Section root(Node root, Problems problems) {
        if (root instanceof Node.Mapping m) {
            return new Section(m, "schedule", "", problems);
        }
        problems.add(
                root.location(), "", "a schedule file is a mapping (version:, registries:, ...), not " + root.kind());
        return null;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Location location() {
        return node.location();
    }

    /** Where a field's value is, or the mapping itself when the field is absent. */
    Location at(String key) {
        Node n = node.entries().get(key);
        return n != null ? n.location() : node.location();
    }

    boolean has(String key) {
        Node n = node.entries().get(key);
        return n != null && !(n instanceof Node.Scalar s && s.type() == Node.Scalar.Type.NULL);
    }

    String string(String key) {
        Node.Scalar s = scalar(key);
        if (s == null) {
            return null;
        }
        if (s.type() != Node.Scalar.Type.STRING) {
            wrongType(key, s, "a string");
            return null;
        }
        return s.text();
    }

    String requiredString(String key) {
        if (!has(key)) {
            missing(key);
            return null;
        }
        String value = string(key);
        if (value != null && value.isBlank()) {
            problems.add(at(key), path(key), "must not be empty");
            return null;
        }
        return value;
    }

    /** A scalar read as text whatever its YAML type (a version "1" or 1, a tag 1.0). */
    String text(String key) {
        Node.Scalar s = scalar(key);
        return s == null ? null : s.text();
    }

    Integer integer(String key, int min, int max) {
        Node.Scalar s = scalar(key);
        if (s == null) {
            return null;
        }
        if (s.type() != Node.Scalar.Type.INTEGER) {
            wrongType(key, s, "a whole number");
            return null;
        }
        long v;
        try {
            v = Long.parseLong(s.text().replace("_", ""));
        } catch (NumberFormatException e) {
            problems.add(s.location(), path(key), "\"" + s.text() + "\" is not a whole number");
            return null;
        }
        if (v < min || v > max) {
            problems.add(s.location(), path(key), "must be between " + min + " and " + max + ", got " + v);
            return null;
        }
        return (int) v;
    }

    Boolean bool(String key) {
        Node.Scalar s = scalar(key);
        if (s == null) {
            return null;
        }
        if (s.type() != Node.Scalar.Type.BOOLEAN) {
            wrongType(key, s, "true or false");
            return null;
        }
        return Boolean.parseBoolean(s.text());
    }

    /** A list of strings; each wrong item is reported and left out. Null when absent. */
    List<String> strings(String key) {
        Node.Sequence seq = sequence(key);
        if (seq == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            Node item = seq.items().get(i);
            if (item instanceof Node.Scalar s && s.type() == Node.Scalar.Type.STRING) {
                out.add(s.text());
            } else {
                problems.add(item.location(), path(key) + "[" + i + "]", "expected a string, got " + item.kind());
            }
        }
        return out;
    }

    /**
     * A mapping whose keys are names, not fields (a route's {@code tiers:}): each key to its
     * string value, in the file's order. Values that are not strings are reported and left out.
     * Null when absent.
     */
    Map<String, String> stringMap(String key) {
        Node n = node.entries().get(key);
        if (n == null || (n instanceof Node.Scalar s && s.type() == Node.Scalar.Type.NULL)) {
            return null;
        }
        if (!(n instanceof Node.Mapping m)) {
            problems.add(n.location(), path(key), "expected a mapping, got " + n.kind());
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> {
            if (v instanceof Node.Scalar s && s.type() == Node.Scalar.Type.STRING) {
                out.put(k, s.text());
            } else {
                problems.add(v.location(), path(key) + "." + k, "expected a string, got " + v.kind());
            }
        });
        return out;
    }

    /** A problem with entry {@code entry} of a {@link #stringMap} field: at its key, or at its value. */
    void problemAtEntry(String key, String entry, boolean atKey, String message) {
        Location at = at(key);
        if (node.entries().get(key) instanceof Node.Mapping m && m.entries().containsKey(entry)) {
            at = atKey ? m.keyLocations().get(entry) : m.entries().get(entry).location();
        }
        problems.add(at, path(key) + "." + entry, message);
    }

    /** The location of item {@code i} of a list field. */
    Location itemAt(String key, int i) {
        Node n = node.entries().get(key);
        if (n instanceof Node.Sequence seq && i < seq.items().size()) {
            return seq.items().get(i).location();
        }
        return at(key);
    }

    /** Whether the value at {@code key} is a mapping (for a field that takes a value or a section). */
    boolean isMapping(String key) {
        return node.entries().get(key) instanceof Node.Mapping;
    }

    Section section(String key, String sectionName) {
        Node n = node.entries().get(key);
        if (n == null || (n instanceof Node.Scalar s && s.type() == Node.Scalar.Type.NULL)) {
            return null;
        }
        if (n instanceof Node.Mapping m) {
            return new Section(m, sectionName, path(key), problems);
        }
        problems.add(n.location(), path(key), "expected a mapping, got " + n.kind());
        return null;
    }

    Section requiredSection(String key, String sectionName) {
        if (!has(key)) {
            missing(key);
            return null;
        }
        return section(key, sectionName);
    }

    /** A list of mappings. Null when absent. */
    List<Section> sections(String key, String sectionName) {
        Node.Sequence seq = sequence(key);
        if (seq == null) {
            return null;
        }
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            Node item = seq.items().get(i);
            String itemPath = path(key) + "[" + i + "]";
            if (item instanceof Node.Mapping m) {
                out.add(new Section(m, sectionName, itemPath, problems));
            } else {
                problems.add(item.location(), itemPath, "expected a mapping, got " + item.kind());
            }
        }
        return out;
    }

    /**
     * A list whose items are each a string or a mapping (bound as section {@code sectionName});
     * other items are reported and stand as null, so indexes stay those of the file. Null when absent.
     */
    List<Object> stringsOrSections(String key, String sectionName) {
        Node.Sequence seq = sequence(key);
        if (seq == null) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            Node item = seq.items().get(i);
            String itemPath = path(key) + "[" + i + "]";
            if (item instanceof Node.Scalar sc && sc.type() == Node.Scalar.Type.STRING) {
                out.add(sc.text());
            } else if (item instanceof Node.Mapping m) {
                out.add(new Section(m, sectionName, itemPath, problems));
            } else {
                problems.add(item.location(), itemPath, "expected a string or a mapping, got " + item.kind());
                out.add(null);
            }
        }
        return out;
    }

    void problem(String key, String message) {
        problems.add(at(key), path(key), message);
    }

    /** A problem with this mapping as a whole. */
    void problemHere(String message) {
        problems.add(node.location(), path, message);
    }

    void problemAtItem(String key, int i, String message) {
        problems.add(itemAt(key, i), path(key) + "[" + i + "]", message);
    }

    void missing(String key) {
        problems.add(node.location(), path(key), "missing required field \"" + key + "\" in " + describe());
    }

    private String describe() {
        return path.isEmpty() ? "the schedule" : name + " " + path;
    }

    private Node.Scalar scalar(String key) {
        Node n = node.entries().get(key);
        if (n == null || (n instanceof Node.Scalar s && s.type() == Node.Scalar.Type.NULL)) {
            return null;
        }
        if (n instanceof Node.Scalar s) {
            return s;
        }
        problems.add(n.location(), path(key), "expected a single value, got " + n.kind());
        return null;
    }

    private Node.Sequence sequence(String key) {
        Node n = node.entries().get(key);
        if (n == null || (n instanceof Node.Scalar s && s.type() == Node.Scalar.Type.NULL)) {
            return null;
        }
        if (n instanceof Node.Sequence seq) {
            return seq;
        }
        problems.add(n.location(), path(key), "expected a list, got " + n.kind());
        return null;
    }

    private void wrongType(String key, Node.Scalar s, String expected) {
        problems.add(
                s.location(),
                path(key),
                "expected " + expected + ", got " + s.kind() + (s.text() == null ? "" : " (" + s.text() + ")"));
    }
}
