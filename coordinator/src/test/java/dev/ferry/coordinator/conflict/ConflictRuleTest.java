package dev.ferry.coordinator.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConflictRuleTest {

    private static final String S = "sha256:" + "5".repeat(64);
    private static final String T = "sha256:" + "7".repeat(64);
    private static final String L = "sha256:" + "1".repeat(64);
    private static final long NOW = 1_700_000_000_123L;

    private static CommitDecision decide(String current, String last, String onConflict, boolean immutable) {
        return ConflictRule.decide("v1", S, current, last, onConflict, immutable, NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"overwrite", "skip", "fail", "backup"})
    void aNewTagOrOneAlreadyRightIsWrittenWhateverThePolicy(String onConflict) {
        assertThat(decide(null, null, onConflict, false)).isEqualTo(new CommitDecision(true, null));
        assertThat(decide(null, L, onConflict, true)).isEqualTo(new CommitDecision(true, L));
        assertThat(decide(S, L, onConflict, true).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overwrite", "skip", "fail", "backup"})
    void aTagFerryWroteLastUpdatesFreely(String onConflict) {
        CommitDecision d = decide(L, L, onConflict, false);
        assertThat(d.allowed()).isTrue();
        assertThat(d.backupTag()).isNull();
        assertThat(d.reason()).isNull();
    }

    @Test
    void someoneElsesTagIsOverwrittenOnlyWhenThePolicySaysSo() {
        assertThat(decide(T, L, "overwrite", false)).isEqualTo(new CommitDecision(true, L));

        CommitDecision skip = decide(T, L, "skip", false);
        assertThat(skip.allowed()).isFalse();
        assertThat(skip.reason())
                .contains("conflict: tag v1 holds " + T)
                .contains("Ferry last wrote " + L)
                .contains("onConflict: skip");

        CommitDecision fail = decide(T, null, "fail", false);
        assertThat(fail.allowed()).isFalse();
        assertThat(fail.reason()).contains("has not written this tag before").contains("onConflict: fail");
    }

    @Test
    void backupKeepsTheirImageUnderADatedTagFirst() {
        CommitDecision d = decide(T, L, "backup", false);
        assertThat(d.allowed()).isTrue();
        assertThat(d.backupTag()).isEqualTo("v1-ferry-backup-1700000000");
    }

    @Test
    void backupTagsStayWithinTheSpecsLength() {
        String longTag = "t".repeat(128);
        String backup = ConflictRule.backupTag(longTag, NOW);
        assertThat(backup).hasSize(128).endsWith("-ferry-backup-1700000000").startsWith("tttt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overwrite", "skip", "fail", "backup"})
    void anImmutableTagIsNeverReplacedEvenIfFerryWroteIt(String onConflict) {
        for (String current : new String[] {T, L}) {
            CommitDecision d = decide(current, L, onConflict, true);
            assertThat(d.allowed()).as("%s over %s", onConflict, current).isFalse();
            assertThat(d.backupTag()).isNull();
            assertThat(d.reason()).contains("immutable");
        }
    }

    @Test
    void immutablePatternsMatchWholeTags() {
        List<String> patterns = List.of("^v\\d+\\.\\d+\\.\\d+$", "release-.*");
        assertThat(ConflictRule.immutable(patterns, "v1.2.3")).isTrue();
        assertThat(ConflictRule.immutable(patterns, "release-2024")).isTrue();
        assertThat(ConflictRule.immutable(patterns, "v1.2")).isFalse();
        assertThat(ConflictRule.immutable(patterns, "prerelease-1")).isFalse();
        assertThat(ConflictRule.immutable(List.of(), "v1.2.3")).isFalse();
    }
}
