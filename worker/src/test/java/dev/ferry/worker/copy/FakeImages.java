package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds small random images into an {@link InMemoryStore}. */
final class FakeImages {

    private final Random random = new Random(42);
    private final InMemoryStore store;

    FakeImages(InMemoryStore store) {
        this.store = store;
    }

    byte[] blob(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        store.addBlob(b);
        return b;
    }

    ImageManifest image(String arch, int... layerSizes) {
        List<byte[]> layers = new ArrayList<>();
        for (int size : layerSizes) {
            layers.add(blob(size));
        }
        return image(arch, layers);
    }

    /** An image of these layers (already in the store; images may share them) and a config of its own. */
    ImageManifest image(String arch, List<byte[]> layerBytes) {
        byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"n\":" + random.nextInt() + "}")
                .getBytes(StandardCharsets.UTF_8);
        store.addBlob(config);
        List<String> layers = new ArrayList<>();
        for (byte[] layer : layerBytes) {
            layers.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", config)
                + ",\"layers\":[" + String.join(",", layers) + "]}";
        return (ImageManifest) ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8), null);
    }

    ImageIndex index(ImageManifest... children) {
        List<String> entries = new ArrayList<>();
        for (ImageManifest m : children) {
            String arch = new String(store.blobs.get(m.config().digest().toString()), StandardCharsets.UTF_8)
                    .replaceAll(".*\"architecture\":\"([^\"]+)\".*", "$1");
            entries.add("{\"mediaType\":\"" + m.mediaType() + "\",\"digest\":\"" + m.digest() + "\",\"size\":"
                    + m.raw().length + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}");
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + String.join(",", entries) + "]}";
        return (ImageIndex) ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256(content) + "\",\"size\":"
                + content.length + "}";
    }
}
