package dev.ferry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates reproducible synthetic images and pushes them to a registry (with plain
 * {@link java.net.http.HttpClient}, independent of Ferry) or writes them to OCI layouts.
 *
 * <pre>{@code
 * try (TestImages images = TestImages.forRegistry(registry)) {
 *     SeededImage index = images.pushOciIndex("team/app", "v1", 42);
 *     SeededImage big = images.pushLargeLayerImage("team/big", "v1", 80L << 20, 7);
 * }
 * }</pre>
 *
 * Blobs larger than 1 MiB are generated into files under a temporary directory and streamed when
 * pushed, never held in memory. The push and layout methods delete those files before returning;
 * only images from {@link #generate} keep them, until {@link #close()}.
 */
public final class TestImages implements AutoCloseable {

    /** Layer payload sizes used when a method takes none. */
    private static final long[] DEFAULT_LAYER_SIZES = {2048, 16 * 1024};

    private final ImageGenerator generator;
    private final RegistryPusher pusher;
    private final OciLayoutWriter layoutWriter;
    private final Path workDir;

    /**
     * @param pusher  {@code null} for an instance that only generates images and writes layouts
     * @param workDir temporary directory for large blobs, deleted by {@link #close()}
     */
    public TestImages(ImageGenerator generator, RegistryPusher pusher, OciLayoutWriter layoutWriter, Path workDir) {
        this.generator = Objects.requireNonNull(generator);
        this.pusher = pusher;
        this.layoutWriter = Objects.requireNonNull(layoutWriter);
        this.workDir = workDir;
    }

    /** For a test registry, authenticating as its {@link RegistryProcess#auth()} requires. */
    public static TestImages forRegistry(RegistryProcess registry) {
        return forRegistry(registry.url(), AuthHeader.forRegistry(registry));
    }

    public static TestImages forRegistry(String registryUrl, AuthHeader auth) {
        return create(new RegistryPusher(RegistryPusher.defaultClient(), URI.create(registryUrl), auth));
    }

    /** Generation and OCI layouts only; push methods throw. */
    public static TestImages offline() {
        return create(null);
    }

    private static TestImages create(RegistryPusher pusher) {
        // Created only when a large blob needs a file, and removed again once empty, so an
        // instance that is never closed leaves nothing behind after its push methods return.
        Path workDir = Path.of(System.getProperty("java.io.tmpdir")).resolve("ferry-test-images-" + UUID.randomUUID());
        ObjectMapper json = new ObjectMapper();
        return new TestImages(
                new ImageGenerator(new LayerGenerator(workDir), json), pusher, new OciLayoutWriter(json), workDir);
    }

    // ---- generation -------------------------------------------------------------------------

    public GeneratedImage generate(ImageSpec spec) {
        return generator.image(spec);
    }

    /** linux/amd64 + linux/arm64 index (OCI) or manifest list (Docker). */
    public GeneratedImage generateIndex(ImageFormat format, long seed, long... layerSizes) {
        return generator.multiPlatform(spec(format, seed, layerSizes));
    }

    // ---- pushing ----------------------------------------------------------------------------

    /** Pushes an already generated image (children and blobs first) under {@code tag} (by digest if null). */
    public SeededImage push(String repository, String tag, GeneratedImage image) {
        if (pusher == null) {
            throw new IllegalStateException("this TestImages has no registry");
        }
        pusher.push(repository, tag, image);
        return image.describe(tag);
    }

    public SeededImage push(String repository, String tag, ImageSpec spec) {
        return pushAndDiscard(repository, tag, generate(spec));
    }

    /** Single-platform OCI image with layers of (about) the given payload sizes. */
    public SeededImage pushOciImage(String repository, String tag, long seed, long... layerSizes) {
        return push(repository, tag, spec(ImageFormat.OCI, seed, layerSizes));
    }

    /** Single-platform Docker schema 2 image. */
    public SeededImage pushDockerImage(String repository, String tag, long seed, long... layerSizes) {
        return push(repository, tag, spec(ImageFormat.DOCKER, seed, layerSizes));
    }

    /** OCI index of linux/amd64 and linux/arm64 images. */
    public SeededImage pushOciIndex(String repository, String tag, long seed, long... layerSizes) {
        return pushIndex(repository, tag, ImageFormat.OCI, seed, layerSizes);
    }

    /** Docker manifest list of linux/amd64 and linux/arm64 images. */
    public SeededImage pushDockerManifestList(String repository, String tag, long seed, long... layerSizes) {
        return pushIndex(repository, tag, ImageFormat.DOCKER, seed, layerSizes);
    }

    public SeededImage pushIndex(String repository, String tag, ImageFormat format, long seed, long... layerSizes) {
        return pushAndDiscard(repository, tag, generateIndex(format, seed, layerSizes));
    }

    /** OCI image with one small layer and one layer of {@code layerBytes}, generated to a file and streamed. */
    public SeededImage pushLargeLayerImage(String repository, String tag, long layerBytes, long seed) {
        return push(repository, tag, ImageSpec.oci(seed, 1024, layerBytes));
    }

    // ---- OCI layouts ------------------------------------------------------------------------

    /** Writes (or adds to) an OCI image layout, tagging the image {@code tag}. */
    public SeededImage writeOciLayout(Path layoutDir, String tag, GeneratedImage image) {
        layoutWriter.write(layoutDir, tag, image);
        return image.describe(tag);
    }

    public SeededImage writeOciLayout(Path layoutDir, String tag, ImageSpec spec) {
        GeneratedImage image = generate(spec);
        try {
            return writeOciLayout(layoutDir, tag, image);
        } finally {
            discard(image);
        }
    }

    public SeededImage writeOciLayoutIndex(
            Path layoutDir, String tag, ImageFormat format, long seed, long... layerSizes) {
        GeneratedImage image = generateIndex(format, seed, layerSizes);
        try {
            return writeOciLayout(layoutDir, tag, image);
        } finally {
            discard(image);
        }
    }

    private SeededImage pushAndDiscard(String repository, String tag, GeneratedImage image) {
        try {
            return push(repository, tag, image);
        } finally {
            discard(image);
        }
    }

    private void discard(GeneratedImage image) {
        image.deleteFiles();
        try {
            Files.deleteIfExists(workDir);
        } catch (IOException e) {
            // not empty: files of images from generate() are still in use
        }
    }

    private static ImageSpec spec(ImageFormat format, long seed, long... layerSizes) {
        long[] sizes = layerSizes.length == 0 ? DEFAULT_LAYER_SIZES.clone() : layerSizes;
        return format == ImageFormat.OCI ? ImageSpec.oci(seed, sizes) : ImageSpec.docker(seed, sizes);
    }

    @Override
    public void close() {
        TempDirectory.deleteRecursively(workDir);
    }
}
