package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdsTest {

    @Test
    void theSameInputsAlwaysGiveTheSameId() {
        String id = JobIds.of("apps", "mirror-us", "mirror/team/app", "v1");

        assertThat(JobIds.of("apps", "mirror-us", "mirror/team/app", "v1")).isEqualTo(id);
        assertThat(id).hasSize(JobIds.LENGTH).matches("[0-9a-f]{32}");
    }

    @Test
    void theIdIsTheStartOfTheSha256OfThePartsJoinedByLineBreaks() throws Exception {
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                .digest("apps\nmirror-us\nmirror/team/app\nv1".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(JobIds.of("apps", "mirror-us", "mirror/team/app", "v1"))
                .isEqualTo(java.util.HexFormat.of().formatHex(hash).substring(0, 32));
    }

    @Test
    void eachPartChangesTheId() {
        Set<String> ids = new HashSet<>();
        ids.add(JobIds.of("apps", "mirror-us", "team/app", "v1"));
        ids.add(JobIds.of("apps2", "mirror-us", "team/app", "v1"));
        ids.add(JobIds.of("apps", "mirror-eu", "team/app", "v1"));
        ids.add(JobIds.of("apps", "mirror-us", "team/api", "v1"));
        ids.add(JobIds.of("apps", "mirror-us", "team/app", "v2"));

        assertThat(ids).hasSize(5);
    }

    @Test
    void movingTextBetweenPartsGivesAnotherId() {
        assertThat(JobIds.of("ab", "c", "r", "t")).isNotEqualTo(JobIds.of("a", "bc", "r", "t"));
        assertThat(JobIds.of("p", "reg", "team/app", "v1")).isNotEqualTo(JobIds.of("p", "reg", "team", "app/v1"));
        assertThat(JobIds.of("p", "", "r", "t")).isNotEqualTo(JobIds.of("p", "r", "", "t"));
    }

    @Test
    void aPartHoldingTheSeparatorIsRefusedRatherThanAliased() {
        assertThatThrownBy(() -> JobIds.of("a\nb", "c", "r", "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy");
        assertThatThrownBy(() -> JobIds.of("a", "b", "r", "t\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag");
    }

    @Test
    void aNullPartIsRefused() {
        assertThatThrownBy(() -> JobIds.of("a", null, "r", "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targetRegistry");
    }
}
