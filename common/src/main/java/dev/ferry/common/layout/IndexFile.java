package dev.ferry.common.layout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code index.json} of a layout, kept as a JSON tree so that entries, fields and
 * annotations Ferry does not model survive a rewrite. Not thread-safe; no I/O.
 */
final class IndexFile {

    /** The annotation that carries a tag in an OCI layout. */
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private static final ObjectMapper JSON = ManifestParser.mapper();

    private final ObjectNode root;
    private final ArrayNode manifests;

    private IndexFile(ObjectNode root, ArrayNode manifests) {
        this.root = root;
        this.manifests = manifests;
    }

    static IndexFile empty() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        return new IndexFile(root, root.putArray("manifests"));
    }

    /** @param where names the file in error messages */
    static IndexFile parse(byte[] bytes, String where) {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid(where, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw invalid(where, e.getMessage(), e);
        }
        if (!(tree instanceof ObjectNode root)) {
            throw invalid(where, "not a JSON object", null);
        }
        JsonNode list = root.get("manifests");
        if (list == null || list.isNull()) {
            return new IndexFile(root, root.putArray("manifests"));
        }
        if (!(list instanceof ArrayNode array)) {
            throw invalid(where, "\"manifests\" is not an array", null);
        }
        return new IndexFile(root, array);
    }

    byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("index.json tree could not be serialised", e);
        }
    }

    /** Tags in file order; entries without a ref.name are skipped. */
    List<String> tags() {
        List<String> tags = new ArrayList<>();
        for (JsonNode entry : manifests) {
            String tag = refName(entry);
            if (tag != null) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /** The first entry tagged {@code tag}. */
    Optional<Descriptor> findTag(String tag) {
        for (JsonNode entry : manifests) {
            if (tag.equals(refName(entry))) {
                return Optional.of(descriptor(entry));
            }
        }
        return Optional.empty();
    }

    /** The first entry pointing at {@code digest}, tagged or not. */
    Optional<Descriptor> findDigest(Digest digest) {
        String wanted = digest.toString();
        for (JsonNode entry : manifests) {
            if (wanted.equals(entry.path("digest").asText(null))) {
                return Optional.of(descriptor(entry));
            }
        }
        return Optional.empty();
    }

    /**
     * Points {@code tag} at {@code target}: the first entry with that tag is replaced in place
     * (so file order is stable), any later duplicates are dropped, and otherwise the entry is
     * appended. Other entries are left exactly as they were.
     */
    void tag(String tag, Descriptor target) {
        ObjectNode entry = JSON.valueToTree(target);
        JsonNode annotations = entry.get("annotations");
        (annotations instanceof ObjectNode map ? map : entry.putObject("annotations")).put(REF_NAME, tag);
        boolean placed = false;
        for (int i = 0; i < manifests.size(); i++) {
            if (!tag.equals(refName(manifests.get(i)))) {
                continue;
            }
            if (placed) {
                manifests.remove(i--);
            } else {
                manifests.set(i, entry);
                placed = true;
            }
        }
        if (!placed) {
            manifests.add(entry);
        }
    }

    private static String refName(JsonNode entry) {
        JsonNode name = entry.path("annotations").get(REF_NAME);
        return name != null && name.isTextual() ? name.asText() : null;
    }

    private static Descriptor descriptor(JsonNode entry) {
        try {
            return JSON.treeToValue(entry, Descriptor.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidManifestException("index.json entry " + entry + " is not a valid descriptor", e);
        }
    }

    private static InvalidManifestException invalid(String where, String why, Throwable cause) {
        return new InvalidManifestException(where + " is not a valid OCI image index: " + why, cause);
    }
}
