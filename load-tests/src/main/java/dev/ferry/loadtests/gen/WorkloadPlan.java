package dev.ferry.loadtests.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Turns a {@link WorkloadSpec} into its images, deterministically from the spec's seed. */
public final class WorkloadPlan {

    private WorkloadPlan() {}

    public static List<PlannedImage> of(WorkloadSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<Long> base = new ArrayList<>();
        for (int i = 0; i < spec.sharedLayers(); i++) {
            base.add(random.nextLong());
        }
        List<PlannedImage> images = new ArrayList<>(spec.images());
        int n = 0;
        for (int r = 0; r < spec.repositories(); r++) {
            for (int t = 0; t < spec.tags(); t++, n++) {
                List<PlannedImage.PlatformLayers> platforms = new ArrayList<>();
                platforms.add(platform("amd64", base, spec, random));
                if (spec.isIndex(n)) {
                    platforms.add(platform("arm64", base, spec, random));
                }
                images.add(new PlannedImage(repository(spec, r), "v" + t, platforms));
            }
        }
        return images;
    }

    public static String repository(WorkloadSpec spec, int index) {
        return spec.prefix() + "/app-" + index;
    }

    private static PlannedImage.PlatformLayers platform(
            String arch, List<Long> base, WorkloadSpec spec, SplittableRandom random) {
        List<Long> seeds = new ArrayList<>(base);
        while (seeds.size() < spec.layers()) {
            seeds.add(random.nextLong());
        }
        return new PlannedImage.PlatformLayers(arch, seeds);
    }
}
