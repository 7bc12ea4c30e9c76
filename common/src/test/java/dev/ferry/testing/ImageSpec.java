package dev.ferry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to generate: format, platform, the payload size of each layer and a seed. The same spec
 * always yields byte-identical blobs and manifests, hence the same digests.
 *
 * <p>Each layer is a real {@code tar+gzip} (one random file of {@code layerSizes[i]} bytes, stored
 * with gzip level 0), so the blob is slightly larger than the payload size (about 0.01 % plus 1.5 KiB).
 */
public record ImageSpec(ImageFormat format, ImagePlatform platform, List<Long> layerSizes, long seed) {

    public ImageSpec {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(platform, "platform");
        layerSizes = List.copyOf(layerSizes);
        if (layerSizes.stream().anyMatch(size -> size < 0)) {
            throw new IllegalArgumentException("negative layer size");
        }
    }

    public static ImageSpec oci(long seed, long... layerSizes) {
        return new ImageSpec(ImageFormat.OCI, ImagePlatform.LINUX_AMD64, sizes(layerSizes), seed);
    }

    public static ImageSpec docker(long seed, long... layerSizes) {
        return new ImageSpec(ImageFormat.DOCKER, ImagePlatform.LINUX_AMD64, sizes(layerSizes), seed);
    }

    public ImageSpec withPlatform(ImagePlatform newPlatform) {
        return new ImageSpec(format, newPlatform, layerSizes, seed);
    }

    public ImageSpec withSeed(long newSeed) {
        return new ImageSpec(format, platform, layerSizes, newSeed);
    }

    public ImageSpec withFormat(ImageFormat newFormat) {
        return new ImageSpec(newFormat, platform, layerSizes, seed);
    }

    private static List<Long> sizes(long... layerSizes) {
        List<Long> list = new ArrayList<>();
        for (long size : layerSizes) {
            list.add(size);
        }
        return list;
    }
}
