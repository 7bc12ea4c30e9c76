package dev.ferry.coordinator.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.VertxModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one place the control API's JSON is configured. Records serialise as they are;
 * {@code Instant}s become ISO-8601 strings ({@link VertxModule}). It is a private mapper, so
 * nothing here changes Vert.x's global {@code DatabindCodec}.
 */
final class ApiJson {

    static final String CONTENT_TYPE = "application/json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new VertxModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ApiJson() {}

    static Buffer encode(Object value) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a request body that must be one JSON object. The parser's own message is not
     * echoed: it may quote the body back, and bodies may hold things that belong in no log.
     */
    static Body parseObject(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("request body must be a JSON object; it is empty");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body.getBytes());
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(
                    "request body exceeds the JSON parser's limits (nesting deeper than 1000 levels,"
                            + " or a number or string too long)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badRequest("request body is not valid JSON" + where);
        } catch (IOException e) {
            throw ApiException.badRequest("request body could not be read as JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return new Body(object);
    }
}
