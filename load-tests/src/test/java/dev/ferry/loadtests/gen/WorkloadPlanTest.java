package dev.ferry.loadtests.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.manifest.ImageIndex;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadPlanTest {

    private static List<String> digests(WorkloadSpec spec) {
        ImageBuilder builder = new ImageBuilder(spec.layerBytes());
        return WorkloadPlan.of(spec).stream()
                .map(i -> builder.build(i).top().digest().toString())
                .toList();
    }

    @Test
    void the_same_seed_gives_the_same_digests_and_another_seed_others() {
        WorkloadSpec spec = new WorkloadSpec("gen", 3, 4, 3, 512, 0.34, 0.25, 42);
        WorkloadSpec other = new WorkloadSpec("gen", 3, 4, 3, 512, 0.34, 0.25, 43);

        List<String> first = digests(spec);

        assertThat(digests(spec)).isEqualTo(first);
        assertThat(first).hasSize(12).doesNotHaveDuplicates();
        assertThat(digests(other)).doesNotContainAnyElementsOf(first);
    }

    @Test
    void the_shared_fraction_of_layers_is_common_to_every_image_and_the_rest_unique() {
        WorkloadSpec spec = new WorkloadSpec("gen", 2, 5, 4, 256, 0.5, 0, 7);
        ImageBuilder builder = new ImageBuilder(spec.layerBytes());

        Set<String> layers = new HashSet<>();
        Set<String> bottomTwo = new HashSet<>();
        for (PlannedImage image : WorkloadPlan.of(spec)) {
            var blobs = builder.build(image).blobs();
            blobs.subList(0, 4).forEach(b -> layers.add(b.descriptor().digest().toString()));
            bottomTwo.add(blobs.get(0).descriptor().digest() + ","
                    + blobs.get(1).descriptor().digest());
        }

        assertThat(bottomTwo).hasSize(1);
        assertThat(layers).hasSize(2 + 10 * 2);
    }

    @Test
    void the_index_fraction_makes_exactly_that_many_two_platform_indexes() {
        WorkloadSpec spec = new WorkloadSpec("gen", 4, 5, 1, 64, 0, 0.25, 1);
        ImageBuilder builder = new ImageBuilder(spec.layerBytes());

        List<GeneratedImage> images =
                WorkloadPlan.of(spec).stream().map(builder::build).toList();

        List<GeneratedImage> indexes =
                images.stream().filter(i -> i.top() instanceof ImageIndex).toList();
        assertThat(indexes).hasSize(5);
        assertThat(indexes).allSatisfy(i -> {
            assertThat(i.children()).hasSize(2);
            assertThat(((ImageIndex) i.top()).manifests())
                    .extracting(d -> d.platform().architecture())
                    .containsExactly("amd64", "arm64");
        });
        assertThat(images).extracting(GeneratedImage::repository).contains("gen/app-0", "gen/app-3");
    }

    @Test
    void a_fraction_outside_zero_to_one_is_refused_with_its_name() {
        assertThatThrownBy(() -> new WorkloadSpec("gen", 1, 1, 1, 1, 1.5, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sharedFraction");
    }
}
