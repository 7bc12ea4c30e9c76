package dev.ferry.coordinator.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkFeedbackTest {

    private static final String LINK = "eu->us";
    private static final long QUOTA = 16L << 20;
    private static final long STEP = 500;

    /** A clock the test moves by hand. */
    private static final class Hand extends Clock {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final Hand clock = new Hand();
    private final LinkFeedback feedback = new LinkFeedback(clock);

    /**
     * The link for {@code steps} snapshots, its leases streaming {@code utilisation} of the shares
     * they are given (which add up to quota × factor), each step's bytes reported {@code late}
     * milliseconds after they streamed; answers the bytes carried.
     */
    private long run(int steps, double utilisation, boolean hungry, long late) {
        long carried = 0;
        for (int i = 0; i < steps; i++) {
            long bytes = Math.round(QUOTA * feedback.factor(LINK) * utilisation * STEP / 1000.0);
            clock.millis += STEP;
            feedback.carried(LINK, clock.millis - late, bytes);
            feedback.tick(LINK, QUOTA, hungry);
            carried += bytes;
        }
        return carried;
    }

    private long run(int steps, double utilisation, boolean hungry) {
        return run(steps, utilisation, hungry, 0);
    }

    /** 0.9: leases that leave a tenth of their shares unused; 1.1: leases that overrun them. */
    @ParameterizedTest
    @ValueSource(doubles = {0.9, 0.95, 1.1})
    void theFactorSettlesWhereTheBytesStreamedMeetTheQuota(double utilisation) {
        feedback.tick(LINK, QUOTA, true);
        run(20, utilisation, true);
        assertThat(feedback.factor(LINK)).isCloseTo(1 / utilisation, within(0.005));
        // Every later 10 s window carries the quota, where splitting it exactly would not.
        long window = run(20, utilisation, true);
        assertThat((double) window / (QUOTA * 10)).isCloseTo(1.0, within(0.01));
    }

    @Test
    void bytesReportedLateCountInTheIntervalTheyStreamedIn() {
        feedback.tick(LINK, QUOTA, true);
        // Every step's bytes arrive with the next snapshot, stamped with the renew that reported them.
        run(30, 0.9, true, 700);
        assertThat(feedback.factor(LINK)).isCloseTo(1 / 0.9, within(0.005));
    }

    @Test
    void theFactorFollowsAChangeInTheWorkloadWithinAWindow() {
        feedback.tick(LINK, QUOTA, true);
        run(20, 0.9, true);
        run((int) ((LinkFeedback.WINDOW_MILLIS + LinkFeedback.DELAY_MILLIS) / STEP), 0.95, true);
        assertThat(feedback.factor(LINK)).isCloseTo(1 / 0.95, within(0.005));
    }

    @Test
    void theFactorIsBoundedBothWays() {
        feedback.tick(LINK, QUOTA, true);
        run(20, 0.3, true);
        assertThat(feedback.factor(LINK)).isEqualTo(LinkFeedback.MAX);
        run(20, 0, true);
        assertThat(feedback.factor(LINK)).isEqualTo(LinkFeedback.MAX);
        run(40, 3.0, true);
        assertThat(feedback.factor(LINK)).isEqualTo(LinkFeedback.MIN);
    }

    @Test
    void leasesLimitedByTheirOwnPaceDoNotRaiseIt() {
        feedback.tick(LINK, QUOTA, true);
        run(20, 0.9, true);
        double settled = feedback.factor(LINK);
        // A slow source: nobody could use more, so more quota would only let the next fast lease overrun.
        run(40, 0.2, false);
        assertThat(feedback.factor(LINK)).isEqualTo(settled);
    }

    @Test
    void itWaitsForEnoughSamplesBeforeMoving() {
        feedback.tick(LINK, QUOTA, true);
        run((int) ((LinkFeedback.MIN_SPAN_MILLIS + LinkFeedback.DELAY_MILLIS) / STEP) - 1, 0.5, true);
        assertThat(feedback.factor(LINK)).isEqualTo(1.0);
        run(1, 0.5, true);
        assertThat(feedback.factor(LINK)).isEqualTo(LinkFeedback.MAX);
    }

    @Test
    void aPauseLongerThanTheWindowOnlySetsTheBaseline() {
        feedback.tick(LINK, QUOTA, true);
        run(20, 0.9, true);
        double settled = feedback.factor(LINK);
        clock.millis += 60_000;
        // A minute's worth of nothing, reported at once, is not a minute of idle shares.
        feedback.carried(LINK, clock.millis, 1);
        feedback.tick(LINK, QUOTA, true);
        assertThat(feedback.factor(LINK)).isEqualTo(settled);
    }

    @Test
    void anUnlimitedLinkResetsIt() {
        feedback.tick(LINK, QUOTA, true);
        run(20, 0.5, true);
        clock.millis += STEP;
        feedback.tick(LINK, 0, true);
        assertThat(feedback.factor(LINK)).isEqualTo(1.0);
        assertThat(feedback.factor("us->eu")).isEqualTo(1.0);
    }
}
