package dev.ferry.loadtests.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void the_same_seed_gives_the_same_faults_and_another_seed_other_ones() {
        assertThat(FaultPlan.of(7, 1800, 3, 2, 2)).isEqualTo(FaultPlan.of(7, 1800, 3, 2, 2));
        assertThat(FaultPlan.of(7, 1800, 3, 2, 2)).isNotEqualTo(FaultPlan.of(8, 1800, 3, 2, 2));
    }

    @Test
    void faults_are_spaced_within_the_run_and_pick_existing_victims_for_bounded_times() {
        List<FaultPlan.Fault> plan = FaultPlan.of(42, 1800, 3, 2, 2);

        assertThat(plan.get(0).atSeconds()).isEqualTo(FaultPlan.FIRST);
        for (int i = 0; i < plan.size(); i++) {
            FaultPlan.Fault f = plan.get(i);
            assertThat(f.atSeconds()).isLessThan(1800);
            assertThat(f.lengthSeconds()).isBetween(f.kind().minLength, f.kind().maxLength);
            int victims = switch (f.kind()) {
                case WORKER_KILL -> 2;
                case MEMBER_KILL -> 3;
                case TARGET_STOP -> 2;
                case THROTTLE, CORRUPT -> 1;
            };
            assertThat(f.index()).isBetween(0, victims - 1);
            if (i > 0) {
                assertThat(f.atSeconds() - plan.get(i - 1).atSeconds())
                        .isBetween(FaultPlan.MIN_GAP - 0.1, FaultPlan.MAX_GAP + 0.1);
            }
        }
        // 1800 s at 8-20 s apart: between 90 and 225 faults, every kind among them.
        assertThat(plan).hasSizeBetween(85, 225);
        EnumSet<FaultPlan.Kind> kinds = EnumSet.noneOf(FaultPlan.Kind.class);
        plan.forEach(f -> kinds.add(f.kind()));
        assertThat(kinds).containsExactlyInAnyOrder(FaultPlan.Kind.values());
    }

    @Test
    void coordinator_members_are_killed_at_least_a_minute_apart_and_never_in_a_one_member_cluster() {
        List<FaultPlan.Fault> plan = FaultPlan.of(3, 3600, 3, 2, 2);
        double last = -1e9;
        for (FaultPlan.Fault f : plan) {
            if (f.kind() == FaultPlan.Kind.MEMBER_KILL) {
                assertThat(f.atSeconds() - last).isGreaterThanOrEqualTo(FaultPlan.MEMBER_SPACING - 0.1);
                last = f.atSeconds();
            }
        }
        assertThat(FaultPlan.of(3, 3600, 1, 2, 2)).noneMatch(f -> f.kind() == FaultPlan.Kind.MEMBER_KILL);
    }

    @Test
    void a_run_shorter_than_the_first_fault_has_none() {
        assertThat(FaultPlan.of(1, 15, 3, 2, 2)).isEmpty();
    }
}
