package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PullBudgetTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PullBudget budget = new PullBudget("docker.io", clock);

    @Test
    void aRegistryThatAnnouncesNoBudgetIsNeverRefused() {
        assertThat(budget.unknown()).isTrue();
        assertThat(budget.observe(false, 200, null, null)).isFalse();

        assertThat(budget.unknown()).isFalse();
        for (int i = 0; i < 1000; i++) {
            budget.acquire();
            budget.observe(true, 200, null, null);
        }
        assertThat(budget.remaining()).isEmpty();
    }

    @Test
    void pullsAreTakenFromWhatTheRegistrySaidRemainsAndTheLastOneIsNotSpent() {
        assertThat(budget.observe(false, 200, "100;w=21600", "2;w=21600")).isTrue();

        budget.acquire();
        budget.acquire();

        assertThat(budget.remaining()).hasValue(0);
        assertThat(budget.limit()).hasValue(100);
        assertThatThrownBy(budget::acquire)
                .isInstanceOfSatisfying(
                        PullBudgetExhaustedException.class,
                        e -> assertThat(e.retryIn()).isEqualTo(Duration.ofSeconds(216)))
                .hasMessage(
                        "registry docker.io: pull budget exhausted (0 of 100 manifest pulls per 6h left); held, next"
                                + " try in 3m36s; digests are still compared with HEAD, which costs no pulls");
    }

    @Test
    void aCountThatLagsBehindGetsStillInFlightDoesNotLetMorePullsThrough() {
        budget.observe(false, 200, "2;w=21600", "2;w=21600");
        budget.acquire();
        budget.acquire();

        // The first GET's answer was counted before the second reached the registry.
        budget.observe(true, 200, "2;w=21600", "1;w=21600");

        assertThat(budget.remaining()).hasValue(0);
        assertThatThrownBy(budget::acquire).isInstanceOf(PullBudgetExhaustedException.class);
    }

    @Test
    void aStaleCountFromAnAnswerThatOvertookAGetDoesNotRaiseWhatIsLeft() {
        budget.observe(false, 200, "2;w=21600", "2;w=21600");
        budget.acquire();
        // A HEAD sent before that GET answers after it, still saying 2.
        budget.observe(false, 200, "2;w=21600", "2;w=21600");
        budget.acquire();
        assertThat(budget.remaining()).hasValue(0);
        assertThatThrownBy(budget::acquire).isInstanceOf(PullBudgetExhaustedException.class);
    }

    @Test
    void afterAboutOnePullsShareOfTheWindowOneGetGoesThroughToReadTheBudgetAgain() {
        budget.observe(false, 200, "100;w=21600", "0;w=21600");
        assertThatThrownBy(budget::acquire).isInstanceOf(PullBudgetExhaustedException.class);

        clock.advance(Duration.ofSeconds(216));
        budget.acquire();
        assertThatThrownBy(budget::acquire).as("only one probe").isInstanceOf(PullBudgetExhaustedException.class);

        budget.observe(true, 200, "100;w=21600", "5;w=21600");
        budget.acquire();
        assertThat(budget.remaining()).hasValue(4);
    }

    @Test
    void aRefusalWithoutHeadersLeavesTheBudgetUnknownSoTheNextGetProbesAgain() {
        assertThat(budget.observe(false, 429, null, null)).isFalse();
        assertThat(budget.unknown()).isTrue();
        assertThat(budget.observe(false, 404, null, null)).isFalse();
        assertThat(budget.unknown()).isFalse();
    }

    @Test
    void unreadableHeadersAreIgnored() {
        assertThat(budget.observe(false, 200, "lots", "-3;w=60")).isFalse();
        assertThat(budget.observe(false, 200, null, "7")).isTrue();
        assertThat(budget.remaining()).hasValue(7);
        assertThat(budget.limit()).isEmpty();
    }
}
