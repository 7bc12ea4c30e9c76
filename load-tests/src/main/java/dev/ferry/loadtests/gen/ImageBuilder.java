package dev.ferry.loadtests.gen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.MediaTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes the bytes of a {@link PlannedImage}: random (incompressible) layers from their seeds,
 * an OCI config naming them, an OCI manifest per platform and, for two platforms, an OCI index.
 */
public final class ImageBuilder {

    private final ObjectMapper json = ManifestParser.mapper();
    private final int layerBytes;

    public ImageBuilder(int layerBytes) {
        this.layerBytes = layerBytes;
    }

    public GeneratedImage build(PlannedImage image) {
        List<GeneratedImage.Blob> blobs = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        for (PlannedImage.PlatformLayers platform : image.platforms()) {
            List<Descriptor> layers = new ArrayList<>();
            for (long seed : platform.layerSeeds()) {
                byte[] bytes = layer(seed, layerBytes);
                Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(bytes), bytes.length);
                layers.add(d);
                blobs.add(new GeneratedImage.Blob(d, bytes));
            }
            byte[] config = config(platform.architecture(), layers);
            Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
            blobs.add(new GeneratedImage.Blob(configDescriptor, config));
            manifests.add(ManifestParser.parse(manifest(configDescriptor, layers), MediaTypes.OCI_MANIFEST));
        }
        if (manifests.size() == 1) {
            return new GeneratedImage(image.repository(), image.tag(), blobs, List.of(), manifests.get(0));
        }
        Manifest index = ManifestParser.parse(index(image.platforms(), manifests), MediaTypes.OCI_INDEX);
        return new GeneratedImage(image.repository(), image.tag(), blobs, manifests, index);
    }

    static byte[] layer(long seed, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private byte[] config(String architecture, List<Descriptor> layers) {
        ObjectNode root = json.createObjectNode();
        root.put("architecture", architecture);
        root.put("os", "linux");
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(l -> diffIds.add(l.digest().toString()));
        return write(root);
    }

    private byte[] manifest(Descriptor config, List<Descriptor> layers) {
        ObjectNode root = json.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        descriptor(root.putObject("config"), config);
        ArrayNode array = root.putArray("layers");
        layers.forEach(l -> descriptor(array.addObject(), l));
        return write(root);
    }

    private byte[] index(List<PlannedImage.PlatformLayers> platforms, List<Manifest> manifests) {
        ObjectNode root = json.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode array = root.putArray("manifests");
        for (int i = 0; i < manifests.size(); i++) {
            ObjectNode entry = array.addObject();
            descriptor(entry, manifests.get(i).descriptor());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", platforms.get(i).architecture());
            platform.put("os", "linux");
        }
        return write(root);
    }

    private static void descriptor(ObjectNode node, Descriptor d) {
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
    }

    private byte[] write(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise generated JSON", e);
        }
    }
}
