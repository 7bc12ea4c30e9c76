package dev.ferry.coordinator.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.quota.QuotaAllocator.Claim;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaAllocatorTest {

    @Test
    void equalWeightsSplitEvenly() {
        Map<String, Long> s = QuotaAllocator.shares(
                900, List.of(Claim.unbounded("a", 2), Claim.unbounded("b", 2), Claim.unbounded("c", 2)));
        assertThat(s).containsEntry("a", 300L).containsEntry("b", 300L).containsEntry("c", 300L);
    }

    @Test
    void tiersWeighTheSplit() {
        // critical 8 against bulk 1
        Map<String, Long> s =
                QuotaAllocator.shares(9_000, List.of(Claim.unbounded("crit", 8), Claim.unbounded("bulk", 1)));
        assertThat(s).containsEntry("crit", 8_000L).containsEntry("bulk", 1_000L);
    }

    @Test
    void whatALeaseDoesNotNeedGoesToTheOthers() {
        Map<String, Long> s = QuotaAllocator.shares(
                1_000, List.of(new Claim("idle", 1, 100), Claim.unbounded("b", 1), Claim.unbounded("c", 1)));
        assertThat(s).containsEntry("idle", 100L).containsEntry("b", 450L).containsEntry("c", 450L);
        assertThat(s.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000L);
    }

    @Test
    void cappedClaimsCascade() {
        // 'small' is satisfied at once; then 'mid' fits under the new fair share too.
        Map<String, Long> s = QuotaAllocator.shares(
                1_200, List.of(new Claim("small", 1, 100), new Claim("mid", 1, 400), Claim.unbounded("big", 1)));
        assertThat(s).containsEntry("small", 100L).containsEntry("mid", 400L).containsEntry("big", 700L);
    }

    @Test
    void everyShareIsAtLeastOneByteBecauseZeroMeansUnlimited() {
        Map<String, Long> s = QuotaAllocator.shares(
                2,
                List.of(
                        Claim.unbounded("a", 1),
                        Claim.unbounded("b", 1),
                        Claim.unbounded("c", 1),
                        Claim.unbounded("d", 1)));
        assertThat(s.values()).allMatch(v -> v >= 1);
    }

    @Test
    void demandIsUnknownWhileALeaseWarmsUpOrUsesItsShare() {
        long now = 100_000;
        LinkLease young = new LinkLease("l", "j", "w", "eu->us", "high", 4, now - 500, now, 0, 10, 1000);
        LinkLease busy = new LinkLease("l", "j", "w", "eu->us", "high", 4, now - 60_000, now, 0, 900, 1000);
        LinkLease idle = new LinkLease("l", "j", "w", "eu->us", "high", 4, now - 60_000, now, 0, 100_000, 1_000_000);
        assertThat(LinkQuotas.demand(young, now)).isInfinite();
        assertThat(LinkQuotas.demand(busy, now)).isInfinite();
        assertThat(LinkQuotas.demand(idle, now)).isEqualTo(200_000.0);
    }
}
