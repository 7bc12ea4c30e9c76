package dev.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes generated images into an OCI image-layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}). Adding to an existing layout keeps its other tags and replaces a
 * descriptor with the same {@code org.opencontainers.image.ref.name}.
 */
public final class OciLayoutWriter {

    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final ObjectMapper json;

    public OciLayoutWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(Path layoutDir, String tag, GeneratedImage image) {
        try {
            Path blobs = layoutDir.resolve("blobs").resolve("sha256");
            Files.createDirectories(blobs);
            Files.writeString(
                    layoutDir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
            writeTree(blobs, image);
            Path indexFile = layoutDir.resolve("index.json");
            ObjectNode index = Files.exists(indexFile) ? (ObjectNode) json.readTree(indexFile.toFile()) : newIndex();
            ArrayNode manifests = (ArrayNode) index.get("manifests");
            for (int i = manifests.size() - 1; i >= 0; i--) {
                JsonNode ref = manifests.get(i).path("annotations").path(REF_NAME);
                if (tag.equals(ref.asText(null))) {
                    manifests.remove(i);
                }
            }
            ObjectNode descriptor = manifests.addObject();
            descriptor.put("mediaType", image.mediaType());
            descriptor.put("digest", image.digest());
            descriptor.put("size", image.manifest().length);
            descriptor.putObject("annotations").put(REF_NAME, tag);
            Files.write(indexFile, json.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode newIndex() {
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", ImageFormat.OCI.indexType());
        index.putArray("manifests");
        return index;
    }

    private void writeTree(Path blobs, GeneratedImage image) throws IOException {
        for (GeneratedImage child : image.children()) {
            writeTree(blobs, child);
        }
        for (GeneratedBlob blob : image.ownBlobs()) {
            Path target = blobs.resolve(Digests.hex(blob.digest()));
            if (!Files.exists(target)) {
                blob.data().copyTo(target);
            }
        }
        Files.write(blobs.resolve(Digests.hex(image.digest())), image.manifest());
    }
}
