package dev.ferry.loadtests.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.loadtests.gen.GeneratedImage;
import dev.ferry.loadtests.gen.ImageBuilder;
import dev.ferry.loadtests.gen.PlannedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceTest {

    private static GeneratedImage image(String repository, String tag, long seed) {
        return new ImageBuilder(32)
                .build(new PlannedImage(
                        repository, tag, List.of(new PlannedImage.PlatformLayers("amd64", List.of(seed)))));
    }

    @Test
    void missing_and_wrong_tags_are_lost_and_a_tag_gone_at_the_source_is_extra() throws Exception {
        FakeRegistry source = new FakeRegistry("source")
                .put(image("a", "same", 1))
                .put(image("a", "missing", 2))
                .put(image("a", "moved", 3));
        FakeRegistry target = new FakeRegistry("target")
                .put(image("a", "same", 1))
                .put(image("a", "moved", 4))
                .put(image("a", "deleted", 5));

        Convergence.Result r = Convergence.compare(source, target, List.of("a"));

        assertThat(r.compared()).isEqualTo(3);
        assertThat(r.missing()).isEqualTo(1);
        assertThat(r.wrong()).isEqualTo(1);
        assertThat(r.lost()).isEqualTo(2);
        assertThat(r.extra()).isEqualTo(1);
        assertThat(r.equal()).isFalse();
        assertThat(r.details())
                .anyMatch(d -> d.startsWith("target a:missing is missing"))
                .anyMatch(d -> d.startsWith("target a:moved holds"))
                .anyMatch(d -> d.equals("target a:deleted is gone at the source"));
    }

    @Test
    void equal_registries_are_equal_and_an_unreachable_one_is_an_error_not_equal() throws Exception {
        FakeRegistry source = new FakeRegistry("source").put(image("a", "v1", 1));
        FakeRegistry target = new FakeRegistry("target").put(image("a", "v1", 1));

        assertThat(Convergence.compare(source, target, List.of("a", "b")).equal())
                .isTrue();
        target.down = true;
        Convergence.Result r = Convergence.compare(source, target, List.of("a"));
        assertThat(r.errors()).isEqualTo(1);
        assertThat(r.equal()).isFalse();
    }
}
