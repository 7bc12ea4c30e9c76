package dev.ferry.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.coordinator.error.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of a JSON request body; every mistake becomes a 400 that names the field.
 * Unknown fields are ignored, so older coordinators accept newer workers.
 */
final class Body {

    private final ObjectNode node;

    Body(ObjectNode node) {
        this.node = node;
    }

    String requiredText(String field) {
        JsonNode value = present(field);
        if (value == null) {
            throw missing(field);
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw ApiException.badRequest("field \"" + field + "\" must be a non-empty string");
        }
        return value.textValue();
    }

    String optionalText(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("field \"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    String requiredOneOf(String field, List<String> allowed) {
        String value = requiredText(field);
        if (!allowed.contains(value)) {
            throw ApiException.badRequest(
                    "field \"" + field + "\" must be one of " + String.join(", ", allowed) + "; got \"" + value + "\"");
        }
        return value;
    }

    long requiredLong(String field, long min, long max) {
        JsonNode value = present(field);
        if (value == null) {
            throw missing(field);
        }
        return checkedLong(field, value, min, max);
    }

    long optionalLong(String field, long min, long max, long fallback) {
        JsonNode value = present(field);
        return value == null ? fallback : checkedLong(field, value, min, max);
    }

    boolean optionalBoolean(String field, boolean fallback) {
        JsonNode value = present(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("field \"" + field + "\" must be true or false");
        }
        return value.booleanValue();
    }

    /** A list of strings; empty when the field is absent or null. */
    List<String> optionalTextList(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("field \"" + field + "\" must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ApiException.badRequest("field \"" + field + "\" must be a list of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    /**
     * A required list of JSON objects, at most {@code max}; a mistake inside item {@code i}
     * names it as {@code field[i]}.
     */
    List<Body> requiredObjectList(String field, int max) {
        JsonNode value = present(field);
        if (value == null) {
            throw missing(field);
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("field \"" + field + "\" must be a list of objects");
        }
        if (value.size() < 1 || value.size() > max) {
            throw ApiException.badRequest(
                    "field \"" + field + "\" must hold between 1 and " + max + " items; got " + value.size());
        }
        List<Body> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!(item instanceof ObjectNode object)) {
                throw ApiException.badRequest("field \"" + field + "[" + out.size() + "]\" must be an object");
            }
            out.add(new Body(object));
        }
        return out;
    }

    /** A required JSON object. */
    Body requiredObject(String field) {
        JsonNode value = present(field);
        if (value == null) {
            throw missing(field);
        }
        if (!(value instanceof ObjectNode object)) {
            throw ApiException.badRequest("field \"" + field + "\" must be an object");
        }
        return new Body(object);
    }

    /** The field's value, or null when it is absent or JSON null. */
    private JsonNode present(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static long checkedLong(String field, JsonNode value, long min, long max) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.badRequest("field \"" + field + "\" must be an integer");
        }
        long n = value.longValue();
        if (n < min || n > max) {
            throw ApiException.badRequest(
                    "field \"" + field + "\" must be between " + min + " and " + max + "; got " + n);
        }
        return n;
    }

    private static ApiException missing(String field) {
        return ApiException.badRequest("field \"" + field + "\" is required");
    }
}
