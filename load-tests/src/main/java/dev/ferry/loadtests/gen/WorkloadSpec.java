package dev.ferry.loadtests.gen;

/**
 * What to generate: {@code repositories} x {@code tags} images of {@code layers} layers of
 * {@code layerBytes} each, under {@code prefix} (repositories are {@code prefix/app-N}).
 *
 * <p>{@code sharedFraction} of each image's layers (the bottom ones, rounded down) are base
 * layers that every image of the workload shares; the rest are unique to the image.
 * {@code indexFraction} of the images (spread evenly, rounded down) are two-platform indexes
 * (linux/amd64 and linux/arm64), each platform with its own unique layers. Everything follows
 * from {@code seed}: the same spec gives the same digests.
 */
public record WorkloadSpec(
        String prefix,
        int repositories,
        int tags,
        int layers,
        int layerBytes,
        double sharedFraction,
        double indexFraction,
        long seed) {

    public WorkloadSpec {
        require(repositories >= 1, "repositories must be at least 1, got " + repositories);
        require(tags >= 1, "tags must be at least 1, got " + tags);
        require(layers >= 1, "layers must be at least 1, got " + layers);
        require(layerBytes >= 1, "layerBytes must be at least 1, got " + layerBytes);
        require(
                sharedFraction >= 0 && sharedFraction <= 1,
                "sharedFraction must be within 0..1, got " + sharedFraction);
        require(indexFraction >= 0 && indexFraction <= 1, "indexFraction must be within 0..1, got " + indexFraction);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public int images() {
        return repositories * tags;
    }

    /** How many of each image's layers are shared base layers. */
    public int sharedLayers() {
        return (int) Math.floor(layers * sharedFraction + 1e-9);
    }

    /** Whether image number {@code i} (0-based) is a multi-platform index: spread evenly, exactly floor(n * f) of them. */
    public boolean isIndex(int i) {
        return Math.floor((i + 1) * indexFraction + 1e-9) > Math.floor(i * indexFraction + 1e-9);
    }
}
