package dev.ferry.loadtests.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LagTrackerTest {

    private static final long S = 1_000_000_000L;

    @Test
    void a_lag_runs_from_the_push_to_the_first_sighting_of_that_digest_at_each_target() {
        LagTracker lags = new LagTracker(List.of("a", "b"));
        lags.pushed("r", "t1", "sha256:1", 10 * S);

        lags.observed("a", "r", "t1", "sha256:0", 11 * S); // an older digest: not this push
        lags.observed("a", "r", "t1", "sha256:1", 13 * S);
        lags.observed("a", "r", "t1", "sha256:1", 20 * S); // seen again: no second sample
        lags.observed("b", "r", "t1", "sha256:1", 15 * S);

        assertThat(lags.sorted()).containsExactly(3.0, 5.0);
        assertThat(lags.pending()).isZero();
    }

    @Test
    void a_push_replaced_or_deleted_before_a_target_showed_it_is_superseded_not_pending() {
        LagTracker lags = new LagTracker(List.of("a"));
        lags.pushed("r", "t1", "sha256:1", 0);
        lags.pushed("r", "t1", "sha256:2", S);
        lags.pushed("r", "t2", "sha256:3", S);
        lags.deleted("r", "t2");

        assertThat(lags.superseded()).isEqualTo(2);
        assertThat(lags.pending()).isEqualTo(1);
        lags.observed("a", "r", "t1", "sha256:2", 4 * S);
        assertThat(lags.sorted()).containsExactly(3.0);
        assertThat(lags.pending()).isZero();
    }

    @Test
    void quantiles_are_nearest_rank() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(LagTracker.quantile(hundred, 0.5)).isEqualTo(50.0);
        assertThat(LagTracker.quantile(hundred, 0.99)).isEqualTo(99.0);
        assertThat(LagTracker.quantile(hundred, 1.0)).isEqualTo(100.0);
        assertThat(LagTracker.quantile(new double[] {7}, 0.99)).isEqualTo(7.0);
        assertThat(LagTracker.quantile(new double[] {1, 2, 3}, 0)).isEqualTo(1.0);
        assertThat(LagTracker.quantile(new double[0], 0.5)).isNaN();
    }
}
