package dev.ferry.worker.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Lease-protocol records to and from JSON bodies. */
final class LeaseJson {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private LeaseJson() {}

    static Buffer encode(Object body) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
        }
    }

    static <T> T decode(Buffer body, Class<T> type, String what) {
        if (body == null || body.length() == 0) {
            throw new CoordinatorException(
                    200, "bad_response", what + ": empty body, expected " + type.getSimpleName(), null);
        }
        try {
            return MAPPER.readValue(body.getBytes(), type);
        } catch (JsonProcessingException e) {
            throw new CoordinatorException(
                    200,
                    "bad_response",
                    what + ": body is not a valid " + type.getSimpleName() + " (" + e.getOriginalMessage() + ")",
                    e);
        } catch (IOException e) {
            throw new CoordinatorException(200, "bad_response", what + ": cannot read the body", e);
        }
    }

    /** The API's error body; its fields are null when the body is something else (a proxy's page). */
    record ApiError(String code, String message) {}

    /** Reads {@code {"error": {"code", "message"}}}. */
    static ApiError error(Buffer body) {
        if (body == null || body.length() == 0) {
            return new ApiError(null, null);
        }
        try {
            JsonNode error = MAPPER.readTree(body.getBytes()).path("error");
            return new ApiError(
                    error.path("code").asText(null),
                    truncate(error.path("message").asText(null)));
        } catch (IOException e) {
            return new ApiError(null, null);
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
