package dev.ferry.testing;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds reproducible image manifests, configs and indexes. Manifests are pretty-printed (with
 * {@code \n} line ends) so that a copier which re-serialises JSON instead of copying bytes changes
 * the digest and gets caught.
 */
public final class ImageGenerator {

    private static final String CREATED = "2024-01-01T00:00:00Z";

    private final LayerGenerator layers;
    private final ObjectMapper json;

    public ImageGenerator(LayerGenerator layers, ObjectMapper json) {
        this.layers = layers;
        this.json = json;
    }

    /** A single-platform image manifest. */
    public GeneratedImage image(ImageSpec spec) {
        ImageFormat format = spec.format();
        SplittableRandom seeds = new SplittableRandom(spec.seed());
        List<GeneratedBlob> layerBlobs = new ArrayList<>();
        for (long size : spec.layerSizes()) {
            layerBlobs.add(layers.layer(size, seeds.nextLong(), format.layerType()));
        }
        byte[] configBytes = compact(config(spec, layerBlobs));
        String configDigest = Digests.sha256(configBytes);
        GeneratedBlob config = new GeneratedBlob(
                configDigest,
                configBytes.length,
                format.configType(),
                configDigest,
                new BlobData.InMemory(configBytes));

        ObjectNode manifest = json.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", format.manifestType());
        manifest.set("config", descriptor(config.mediaType(), config.digest(), config.size()));
        ArrayNode layerArray = manifest.putArray("layers");
        for (GeneratedBlob layer : layerBlobs) {
            layerArray.add(descriptor(layer.mediaType(), layer.digest(), layer.size()));
        }
        byte[] bytes = pretty(manifest);
        return new GeneratedImage(
                Digests.sha256(bytes), format.manifestType(), bytes, spec.platform(), config, layerBlobs, List.of());
    }

    /** An OCI index or Docker manifest list (by {@code format}) over the given platform images. */
    public GeneratedImage index(ImageFormat format, List<ImageSpec> children) {
        List<GeneratedImage> images = children.stream().map(this::image).toList();
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", format.indexType());
        ArrayNode manifests = index.putArray("manifests");
        for (GeneratedImage image : images) {
            ObjectNode entry = descriptor(image.mediaType(), image.digest(), image.manifest().length);
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", image.platform().architecture());
            platform.put("os", image.platform().os());
            if (image.platform().variant() != null) {
                platform.put("variant", image.platform().variant());
            }
            manifests.add(entry);
        }
        byte[] bytes = pretty(index);
        return new GeneratedImage(Digests.sha256(bytes), format.indexType(), bytes, null, null, List.of(), images);
    }

    /** An index of linux/amd64 and linux/arm64 images derived from {@code base} (different seeds). */
    public GeneratedImage multiPlatform(ImageSpec base) {
        return index(
                base.format(),
                List.of(
                        base.withPlatform(ImagePlatform.LINUX_AMD64).withSeed(base.seed() * 31 + 1),
                        base.withPlatform(ImagePlatform.LINUX_ARM64).withSeed(base.seed() * 31 + 2)));
    }

    private ObjectNode config(ImageSpec spec, List<GeneratedBlob> layerBlobs) {
        ObjectNode config = json.createObjectNode();
        config.put("created", CREATED);
        config.put("architecture", spec.platform().architecture());
        if (spec.platform().variant() != null) {
            config.put("variant", spec.platform().variant());
        }
        config.put("os", spec.platform().os());
        ObjectNode runtime = config.putObject("config");
        runtime.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        runtime.putArray("Cmd").add("/bin/true");
        runtime.putObject("Labels").put("dev.ferry.test.seed", Long.toString(spec.seed()));
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ArrayNode history = config.putArray("history");
        for (int i = 0; i < layerBlobs.size(); i++) {
            diffIds.add(layerBlobs.get(i).diffId());
            history.addObject().put("created", CREATED).put("created_by", "ferry test layer " + i);
        }
        return config;
    }

    private ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode node = json.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
        return node;
    }

    private byte[] compact(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] pretty(ObjectNode node) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
        try {
            return json.writer(printer).writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
