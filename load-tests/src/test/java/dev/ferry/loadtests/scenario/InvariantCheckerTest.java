package dev.ferry.loadtests.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.loadtests.gen.GeneratedImage;
import dev.ferry.loadtests.gen.ImageBuilder;
import dev.ferry.loadtests.gen.PlannedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvariantCheckerTest {

    private final SourceHistory source = new SourceHistory();
    private final LagTracker lags = new LagTracker(List.of("target"));
    private final InvariantChecker checker = new InvariantChecker(source, lags, () -> 5_000_000_000L);
    private final FakeRegistry target = new FakeRegistry("target");

    /** An image the source served (its digests recorded), pushed at t = 1 s. */
    private GeneratedImage served(String tag, long seed, boolean index) {
        GeneratedImage image = image(tag, seed, index);
        List<String> digests = new ArrayList<>();
        digests.add(image.top().digest().toString());
        image.children().forEach(c -> digests.add(c.digest().toString()));
        source.willServe(digests);
        lags.pushed("app", tag, image.top().digest().toString(), 1_000_000_000L);
        return image;
    }

    private static GeneratedImage image(String tag, long seed, boolean index) {
        List<PlannedImage.PlatformLayers> platforms = new ArrayList<>();
        platforms.add(new PlannedImage.PlatformLayers("amd64", List.of(1L, seed)));
        if (index) {
            platforms.add(new PlannedImage.PlatformLayers("arm64", List.of(1L, seed + 1)));
        }
        return new ImageBuilder(64).build(new PlannedImage("app", tag, platforms));
    }

    @Test
    void complete_images_and_indexes_the_source_served_pass_and_their_lag_is_measured() throws Exception {
        target.put(served("a", 10, false)).put(served("b", 20, true));

        checker.check(target, List.of("app", "absent"));

        assertThat(checker.checks(InvariantChecker.COMPLETE)).isEqualTo(2);
        assertThat(checker.checks(InvariantChecker.KNOWN))
                .as("two tops and two children")
                .isEqualTo(4);
        assertThat(checker.failures(InvariantChecker.COMPLETE)).isZero();
        assertThat(checker.failures(InvariantChecker.KNOWN)).isZero();
        assertThat(lags.sorted()).containsExactly(4.0, 4.0);
    }

    @Test
    void a_tag_missing_a_blob_or_an_index_child_is_an_incomplete_tag_named_with_what_is_missing() throws Exception {
        GeneratedImage single = served("a", 10, false);
        GeneratedImage index = served("b", 20, true);
        target.put(single).put(index);
        String layer = single.blobs().get(1).descriptor().digest().toString();
        target.dropBlob("app", layer);
        String child = index.children().get(1).digest().toString();
        target.dropManifest("app", child);

        checker.check(target, List.of("app"));

        assertThat(checker.failures(InvariantChecker.COMPLETE)).isEqualTo(2);
        assertThat(checker.recorded())
                .extracting(InvariantChecker.Failure::detail)
                .containsExactlyInAnyOrder("missing: blob " + layer, "missing: child manifest " + child);
    }

    @Test
    void a_digest_the_source_never_served_is_a_failure_even_when_the_image_is_complete() throws Exception {
        GeneratedImage foreign = image("x", 99, false);
        target.put(foreign);

        checker.check(target, List.of("app"));

        assertThat(checker.failures(InvariantChecker.KNOWN)).isEqualTo(1);
        assertThat(checker.failures(InvariantChecker.COMPLETE)).isZero();
        assertThat(checker.recorded().get(0).detail())
                .contains(foreign.top().digest().toString());
    }

    @Test
    void a_complete_manifest_is_not_checked_blob_by_blob_again_but_is_counted_each_poll() throws Exception {
        target.put(served("a", 10, false));

        checker.check(target, List.of("app"));
        int heads = target.blobHeads;
        checker.check(target, List.of("app"));

        assertThat(heads).isEqualTo(3); // shared layer, own layer, config
        assertThat(target.blobHeads).isEqualTo(heads);
        assertThat(checker.checks(InvariantChecker.COMPLETE)).isEqualTo(2);
    }

    @Test
    void an_unreachable_target_is_counted_and_is_no_failure() throws Exception {
        target.put(served("a", 10, false));
        target.down = true;

        checker.check(target, List.of("app"));

        assertThat(checker.unreachable()).isEqualTo(1);
        assertThat(checker.checks(InvariantChecker.COMPLETE)).isZero();
        assertThat(checker.recorded()).isEmpty();
    }
}
