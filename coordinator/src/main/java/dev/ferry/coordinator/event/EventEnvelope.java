package dev.ferry.coordinator.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.coordinator.error.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CNCF distribution's notification envelope: {@code {"events": [{"action", "target":
 * {"repository", "tag", "digest", "mediaType"}, "request": {"host"}}]}}. Any other field is
 * ignored. A malformed envelope is refused whole, with a 400 naming the first bad place, so a
 * half-read batch never acts.
 */
public final class EventEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Distribution sends a handful of events per request; a huge batch is abuse. */
    static final int MAX_EVENTS = 1000;
    /** Jackson's parser limits (nesting depth 1000, long numbers and strings), said for webhook senders. */
    public static final String TOO_DEEP = "the body exceeds the JSON parser's limits (nesting deeper than 1000 levels,"
            + " or a number or string too long); a registry notification is a shallow object";

    private EventEnvelope() {}

    public static List<RegistryEvent> parse(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(TOO_DEEP);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.badRequest("the body is not JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object with an \"events\" array");
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw ApiException.badRequest("field \"events\" must be an array");
        }
        if (events.size() > MAX_EVENTS) {
            throw ApiException.badRequest("at most " + MAX_EVENTS + " events per request; got " + events.size());
        }
        List<RegistryEvent> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(event(events.get(i), "events[" + i + "]"));
        }
        return out;
    }

    private static RegistryEvent event(JsonNode e, String where) {
        if (!e.isObject()) {
            throw ApiException.badRequest(where + " must be an object");
        }
        String action = text(e, "action", where, true);
        JsonNode target = e.get("target");
        if (target == null || !target.isObject()) {
            throw ApiException.badRequest(where + ".target must be an object");
        }
        String repository = text(target, "repository", where + ".target", true);
        String tag = text(target, "tag", where + ".target", false);
        String digest = text(target, "digest", where + ".target", false);
        String mediaType = text(target, "mediaType", where + ".target", false);
        JsonNode request = e.get("request");
        String host = request != null && request.isObject() ? text(request, "host", where + ".request", false) : null;
        String agent =
                request != null && request.isObject() ? text(request, "useragent", where + ".request", false) : null;
        if (tag == null && digest == null && !action.equals(RegistryEvent.DELETE)) {
            throw ApiException.badRequest(where + ".target needs a tag or a digest");
        }
        return new RegistryEvent(action, repository, tag, digest, mediaType, host, agent);
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode value = node.get(field);
        if (value == null
                || value.isNull()
                || value.isTextual() && value.textValue().isEmpty()) {
            if (required) {
                throw ApiException.badRequest(where + "." + field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(where + "." + field + " must be a string");
        }
        return value.textValue();
    }
}
