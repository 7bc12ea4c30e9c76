package dev.ferry.coordinator.hz;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class QuorumTest {

    @Test
    void aRefusalOfTheSplitBrainProtectionIsFoundThroughWrappers() {
        Throwable wrapped = new CompletionException(
                new IllegalStateException("x", new SplitBrainProtectionException("ferry-majority has failed!")));
        assertThat(Quorum.lost(wrapped)).isTrue();
        assertThat(Quorum.describe(wrapped))
                .contains("cannot see a majority of its cluster")
                .doesNotContain("ferry-majority");
    }

    @Test
    void otherFailuresAreNotMistakenForASplit() {
        assertThat(Quorum.lost(new IllegalStateException("boom"))).isFalse();
        assertThat(Quorum.lost(null)).isFalse();
        assertThat(Quorum.describe(new IllegalStateException("boom"))).isEqualTo("boom");
    }
}
