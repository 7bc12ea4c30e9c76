package dev.ferry.coordinator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a segment held on both sides of a split becomes when they merge: nothing is dropped. */
class LedgerMergePolicyTest {

    /** {@code base} followed by one entry per subject, each linked to the one before. */
    private static List<String> chain(List<String> base, String... subjects) {
        List<String> lines = new ArrayList<>(base);
        String prev = base.isEmpty()
                ? LedgerLine.GENESIS
                : LedgerLine.parse(base.get(base.size() - 1)).hash();
        for (String subject : subjects) {
            LedgerLine line = LedgerLine.create(
                    lines.size() + 1L, prev, "2026-12-06T09:00:00Z", "ops", "policy.pause", subject, Map.of());
            lines.add(line.text());
            prev = line.hash();
        }
        return lines;
    }

    private static Segment segment(List<String> lines, String... orphans) {
        String last = lines.isEmpty()
                ? null
                : LedgerLine.parse(lines.get(lines.size() - 1)).hash();
        return new Segment(1, lines, last, List.of(orphans));
    }

    @Test
    void aCopyThatIsAPrefixOfTheOtherGivesWayToTheLongerOne() {
        List<String> shared = chain(List.of(), "a", "b");
        List<String> longer = chain(shared, "c");

        assertThat(LedgerMergePolicy.merged(segment(shared), segment(longer))).isEqualTo(segment(longer));
        assertThat(LedgerMergePolicy.merged(segment(longer), segment(shared))).isEqualTo(segment(longer));
        assertThat(LedgerMergePolicy.merged(segment(shared), segment(shared))).isEqualTo(segment(shared));
    }

    @Test
    void copiesThatForkKeepTheLongerAsTheChainAndTheOthersEntriesAsOrphans() {
        List<String> shared = chain(List.of(), "a", "b");
        List<String> majority = chain(shared, "m1", "m2");
        List<String> minority = chain(shared, "c1");

        Segment kept = LedgerMergePolicy.merged(segment(minority), segment(majority));

        assertThat(kept.lines()).isEqualTo(majority);
        assertThat(kept.orphans()).containsExactly(minority.get(2));
        assertThat(LedgerMergePolicy.merged(segment(majority), segment(minority)))
                .isEqualTo(kept);
    }

    @Test
    void aSegmentStartedAnewBySideWithoutACopyKeepsTheOtherSidesEntriesToo() {
        List<String> history = chain(List.of(), "a", "b", "c");
        List<String> fresh = chain(List.of(), "x");

        Segment kept = LedgerMergePolicy.merged(segment(fresh), segment(history));

        assertThat(kept.lines()).isEqualTo(history);
        assertThat(kept.orphans()).containsExactlyElementsOf(fresh);
    }

    @Test
    void orphansLeftByAnEarlierMergeAreKeptFromBothSidesOnce() {
        List<String> shared = chain(List.of(), "a");
        List<String> left = chain(shared, "l");
        List<String> right = chain(shared, "r");
        String earlier = chain(List.of(), "old").get(0);

        Segment kept = LedgerMergePolicy.merged(segment(left, earlier), segment(right, earlier));

        assertThat(kept.lines()).isEqualTo(left);
        assertThat(kept.orphans()).containsExactly(earlier, right.get(1));
    }
}
