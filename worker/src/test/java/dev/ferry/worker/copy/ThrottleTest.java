package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pacing arithmetic on a clock the test moves by hand. */
class ThrottleTest {

    private long now = 1_000_000_000L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Feeds {@code total} bytes in chunks, waiting whatever the throttle asks; returns the seconds spent. */
    private double feed(Throttle t, long total, int chunk) {
        long start = now;
        for (long sent = 0; sent < total; sent += chunk) {
            now += t.take(chunk);
        }
        return (now - start) / (double) SECOND;
    }

    @Test
    void oneStreamGetsItsRateOverTime() {
        Throttle t = new Throttle(1_000_000, () -> now);
        double seconds = feed(t, 10_000_000, 16 * 1024);
        // 10 MB at 1 MB/s: 10 s, less the tolerance the first chunks may run ahead.
        assertThat(seconds).isCloseTo(10.0, within(0.05));
        assertThat(t.bytes()).isGreaterThanOrEqualTo(10_000_000);
    }

    @Test
    void streamsSharingOneThrottleShareItsRate() {
        Throttle t = new Throttle(2_000_000, () -> now);
        long start = now;
        // Three streams take turns, each pausing as told before its next chunk.
        long[] readyAt = {now, now, now};
        long[] sent = new long[3];
        int chunk = 32 * 1024;
        while (sent[0] + sent[1] + sent[2] < 20_000_000) {
            int next = 0;
            for (int i = 1; i < 3; i++) {
                if (readyAt[i] < readyAt[next]) {
                    next = i;
                }
            }
            now = Math.max(now, readyAt[next]);
            readyAt[next] = now + t.take(chunk);
            sent[next] += chunk;
        }
        double seconds = (now - start) / (double) SECOND;
        assertThat(seconds).isCloseTo(10.0, within(0.1));
        for (long s : sent) {
            assertThat(s).isBetween(6_000_000L, 7_400_000L);
        }
    }

    @Test
    void aRateChangeAppliesToTheBytesThatFollow() {
        Throttle t = new Throttle(1_000_000, () -> now);
        double first = feed(t, 2_000_000, 10_000);
        t.rate(4_000_000);
        double second = feed(t, 8_000_000, 10_000);
        assertThat(first).isCloseTo(2.0, within(0.05));
        assertThat(second).isCloseTo(2.0, within(0.05));
    }

    @Test
    void bytesPacedAtATinyRateArePacedAgainWhenTheRateGrows() {
        Throttle t = new Throttle(1_000, () -> now);
        t.take(1_000);
        long wait = t.take(64_000);
        assertThat(wait).isGreaterThan(60 * SECOND);
        t.rate(64_000_000);
        // The 65 s of debt at 1 KB/s is about 1 ms at 64 MB/s: the next chunk hardly waits.
        assertThat(t.take(64_000)).isLessThan(SECOND / 100);
    }

    @Test
    void idleTimeBanksNoMoreThanTheTolerance() {
        Throttle t = new Throttle(1_000_000, () -> now);
        feed(t, 1_000_000, 10_000);
        now += 30 * SECOND;
        double seconds = feed(t, 5_000_000, 10_000);
        assertThat(seconds).isCloseTo(5.0, within(0.05));
    }

    @Test
    void unlimitedNeverWaitsButStillCounts() {
        Throttle t = new Throttle(0, () -> now);
        for (int i = 0; i < 1000; i++) {
            assertThat(t.take(1_000_000)).isZero();
        }
        assertThat(t.bytes()).isEqualTo(1_000_000_000L);
        t.rate(1_000);
        t.take(1_000);
        assertThat(t.take(1_000)).isGreaterThan(0);
    }

    @Test
    void cancelReachesListenersRegisteredBeforeAndAfter() {
        Throttle t = Throttle.unlimited();
        List<Throwable> seen = new ArrayList<>();
        t.onCancel(seen::add);
        IllegalStateException cause = new IllegalStateException("run cancelled");
        t.cancel(cause);
        t.cancel(new IllegalStateException("second"));
        t.onCancel(seen::add);
        assertThat(seen).containsExactly(cause, cause);
        assertThat(t.cancelled()).isSameAs(cause);
    }
}
