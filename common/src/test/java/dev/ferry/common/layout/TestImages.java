package dev.ferry.common.layout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.manifest.Platform;
import dev.ferry.common.mediatype.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Small, real OCI images built in memory for layout tests. */
final class TestImages {

    private static final ObjectMapper JSON = ManifestParser.mapper();

    /** A manifest together with the bytes of the blobs it names. */
    record Image(ImageManifest manifest, byte[] config, byte[] layer) {}

    private TestImages() {}

    static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static Descriptor descriptorOf(String mediaType, byte[] content) {
        return Descriptor.of(mediaType, Digest.sha256(content), content.length);
    }

    /** An image with one config and one layer, distinct per {@code seed}. */
    static Image image(long seed) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = randomBytes(seed, 4096 + (int) seed);
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        root.set("config", JSON.valueToTree(descriptorOf(MediaTypes.OCI_CONFIG, config)));
        root.putArray("layers").add(JSON.valueToTree(descriptorOf(MediaTypes.OCI_LAYER_GZIP, layer)));
        return new Image((ImageManifest) ManifestParser.parse(bytes(root), null), config, layer);
    }

    static ImageIndex index(List<Manifest> children, List<Platform> platforms) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        for (int i = 0; i < children.size(); i++) {
            Manifest child = children.get(i);
            Descriptor d = new Descriptor(
                    child.mediaType(), child.digest(), child.raw().length, null, null, platforms.get(i), null);
            manifests.add(JSON.valueToTree(d));
        }
        return (ImageIndex) ManifestParser.parse(bytes(root), null);
    }

    private static byte[] bytes(ObjectNode root) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
