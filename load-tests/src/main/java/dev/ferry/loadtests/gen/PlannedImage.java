package dev.ferry.loadtests.gen;

import java.util.List;

/**
 * One image of a workload: where it goes and, per platform, the seeds of its layers. A
 * single-platform image has one entry in {@code platforms}.
 */
public record PlannedImage(String repository, String tag, List<PlatformLayers> platforms) {

    public PlannedImage {
        platforms = List.copyOf(platforms);
    }

    public boolean isIndex() {
        return platforms.size() > 1;
    }

    /** The layer seeds of one platform ({@code architecture} is amd64 or arm64). */
    public record PlatformLayers(String architecture, List<Long> layerSeeds) {
        public PlatformLayers {
            layerSeeds = List.copyOf(layerSeeds);
        }
    }
}
