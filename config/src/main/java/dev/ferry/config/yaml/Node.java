package dev.ferry.config.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value with the place it was written, so every config error can point at it. */
public sealed interface Node permits Node.Mapping, Node.Sequence, Node.Scalar {

    Location location();

    /** What a user would call this kind of value, for "expected X, got Y" messages. */
    String kind();

    /** A mapping; keys keep their order and their own locations. */
    record Mapping(Location location, Map<String, Node> entries, Map<String, Location> keyLocations) implements Node {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLocations = Map.copyOf(keyLocations);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record Sequence(Location location, List<Node> items) implements Node {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar, with the JSON-ish type the YAML parser gave it.
     *
     * @param text the value as written (null for YAML null)
     */
    record Scalar(Location location, Type type, String text) implements Node {
        public enum Type {
            STRING,
            INTEGER,
            DECIMAL,
            BOOLEAN,
            NULL
        }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "a number";
                case DECIMAL -> "a decimal number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }
    }
}
