package dev.ferry.common.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ferry.common.digest.Digest;
import dev.ferry.common.mediatype.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns manifest bytes into a {@link Manifest}, refusing anything over the size limit or
 * nested deeper than a manifest ever is.
 */
public final class ManifestParser {

    /** The limit most registries apply to manifests (distribution, ECR, GAR). */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** Real manifests nest about 5 levels; annotations and platforms add little. */
    static final int MAX_JSON_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_JSON_DEPTH)
                            .build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ManifestParser() {}

    /** The shared mapper, configured with the depth limit. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses manifest bytes. The media type is taken from the document's own {@code mediaType}
     * field, then the Content-Type the registry sent, then guessed from its shape.
     *
     * @param contentType the Content-Type header, or null
     */
    public static Manifest parse(byte[] raw, String contentType) {
        if (raw.length > MAX_MANIFEST_BYTES) {
            throw new InvalidManifestException(
                    "manifest is " + raw.length + " bytes, over the limit of " + MAX_MANIFEST_BYTES + " bytes");
        }
        if (new String(raw, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new InvalidManifestException("manifest is empty, not a JSON object");
        }
        JsonNode root;
        try {
            // Trailing bytes after the document would be hashed and pushed as if they were valid.
            root = MAPPER.readerFor(JsonNode.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(raw);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException("manifest is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidManifestException("manifest could not be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidManifestException("manifest is not a JSON object");
        }
        Digest digest = Digest.sha256(raw);
        String mediaType = mediaTypeOf(root, contentType);
        if (MediaTypes.isSchema1(mediaType) || root.path("schemaVersion").asInt(2) == 1) {
            throw new InvalidManifestException(
                    "Docker schema1 manifests are deprecated and not supported; convert the image to schema2 or OCI");
        }
        try {
            if (MediaTypes.isIndex(mediaType)) {
                return new ImageIndex(
                        mediaType, raw, digest, descriptors(root, "manifests"), optional(root, "subject"));
            }
            if (MediaTypes.isImageManifest(mediaType)) {
                Descriptor config = required(root, "config");
                return new ImageManifest(
                        mediaType, raw, digest, config, descriptors(root, "layers"), optional(root, "subject"));
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidManifestException(
                    "manifest " + digest + " (" + mediaType + ") is invalid: " + e.getMessage(), e);
        }
        throw new InvalidManifestException("unsupported manifest media type \"" + mediaType + "\" (supported: "
                + String.join(", ", MediaTypes.MANIFEST_ACCEPT) + ")");
    }

    private static String mediaTypeOf(JsonNode root, String contentType) {
        String declared = root.path("mediaType").asText(null);
        if (declared != null && !declared.isEmpty()) {
            return declared;
        }
        String header = MediaTypes.normalize(contentType);
        if (header != null && !header.isEmpty() && !header.equals("application/json")) {
            return header;
        }
        if (root.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (root.has("layers") || root.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        return header == null ? "(none)" : header;
    }

    private static Descriptor required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return descriptor(node, field);
    }

    private static Descriptor optional(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : descriptor(node, field);
    }

    private static List<Descriptor> descriptors(JsonNode root, String field) {
        JsonNode array = root.get(field);
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" is not an array");
        }
        List<Descriptor> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("\"" + where + "\" is not an object");
        }
        if (!node.path("size").isIntegralNumber()) {
            throw new IllegalArgumentException("\"" + where + "\" has no integer size (got "
                    + (node.has("size") ? node.get("size").toString() : "none") + ")");
        }
        Descriptor d;
        try {
            d = MAPPER.treeToValue(node, Descriptor.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("\"" + where + "\": " + rootMessage(e), e);
        }
        if (d.digest() == null) {
            throw new IllegalArgumentException("\"" + where + "\" has no digest");
        }
        if (d.mediaType() == null) {
            throw new IllegalArgumentException("\"" + where + "\" has no mediaType");
        }
        if (d.size() < 0) {
            throw new IllegalArgumentException("\"" + where + "\" has a negative size");
        }
        return d;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : t.getMessage();
    }
}
