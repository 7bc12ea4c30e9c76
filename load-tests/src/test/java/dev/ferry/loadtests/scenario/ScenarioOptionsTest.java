package dev.ferry.loadtests.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.loadtests.gen.WorkloadSpec;
import org.junit.jupiter.api.Test;

class ScenarioOptionsTest {

    @Test
    void command_line_values_override_the_scenario_workload_and_the_rest_keep_its_defaults() {
        ScenarioOptions o =
                ScenarioOptions.parse(new String[] {"bulk", "--repos", "2", "--layer-kib", "64", "--shared", "0.5"});

        WorkloadSpec spec = o.workload("bulk", 5, 4, 4, 8192, 0, 0);

        assertThat(o.scenario()).isEqualTo("bulk");
        assertThat(spec.repositories()).isEqualTo(2);
        assertThat(spec.tags()).isEqualTo(4);
        assertThat(spec.layerBytes()).isEqualTo(64 * 1024);
        assertThat(spec.sharedFraction()).isEqualTo(0.5);
    }

    @Test
    void an_unknown_option_a_missing_value_and_a_bad_number_are_named() {
        assertThatThrownBy(() -> ScenarioOptions.parse(new String[] {"bulk", "--repo", "2"}))
                .hasMessageContaining("unknown option --repo");
        assertThatThrownBy(() -> ScenarioOptions.parse(new String[] {"bulk", "--runs"}))
                .hasMessageContaining("--runs needs a value");
        ScenarioOptions bad = ScenarioOptions.parse(new String[] {"bulk", "--runs", "two"});
        assertThatThrownBy(() -> bad.integer("runs", 2)).hasMessageContaining("--runs must be a whole number, got two");
    }

    @Test
    void the_median_of_a_step_is_taken_over_that_tool_only() {
        Report r = new Report("t");
        r.row("sync", "ferry warm", 1, 3, 0, "");
        r.row("sync", "ferry warm", 2, 1, 0, "");
        r.row("sync", "skopeo", 1, 100, 0, "");

        assertThat(r.median("sync", "ferry warm")).isEqualTo(2.0);
        assertThat(r.median("sync", "skopeo")).isEqualTo(100.0);
        assertThat(r.median("no-op", "skopeo")).isNaN();
    }
}
