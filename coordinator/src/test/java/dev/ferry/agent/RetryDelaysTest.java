package dev.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryDelaysTest {

    @Test
    void failuresBackOffByDoublingUpToAMinuteSpreadByAFifth() {
        assertThat(RetryDelays.afterFailure(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryDelays.afterFailure(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryDelays.afterFailure(4, 0.5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(RetryDelays.afterFailure(7, 0.5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryDelays.afterFailure(10_000, 0.5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryDelays.afterFailure(1, 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(RetryDelays.afterFailure(10_000, 0.999)).isLessThan(Duration.ofSeconds(72));
    }

    @Test
    void answersAreSpacedByAtLeastASecond() {
        assertThat(RetryDelays.afterAnswer(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(990));
        assertThat(RetryDelays.afterAnswer(Duration.ofSeconds(60))).isEqualTo(Duration.ZERO);
    }
}
