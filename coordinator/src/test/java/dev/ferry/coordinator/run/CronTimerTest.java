package dev.ferry.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CronTimerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** A clock the test sets; it stands still between settings. */
    static final class SetClock extends Clock {
        private final AtomicReference<Instant> now;

        SetClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private static Instant next(String cron, ZoneId zone, String after) {
        return CronSchedule.of(cron, zone).nextAfter(Instant.parse(after)).orElseThrow();
    }

    @Test
    void cronIsReadInTheTriggersZoneAndInUtcByDefault() {
        assertThat(next("0 9 * * *", ZoneOffset.UTC, "2026-03-27T12:00:00Z")).isEqualTo("2026-03-28T09:00:00Z");
        // 09:00 in Berlin is 08:00 UTC in winter (CET) and 07:00 UTC once summer time began on 2026-03-29.
        assertThat(next("0 9 * * *", BERLIN, "2026-03-27T12:00:00Z")).isEqualTo("2026-03-28T08:00:00Z");
        assertThat(next("0 9 * * *", BERLIN, "2026-03-28T12:00:00Z")).isEqualTo("2026-03-29T07:00:00Z");
    }

    @Test
    void aLocalTimeSkippedBySpringForwardFiresAfterTheGapAndOneRepeatedByFallBackFiresOnce() {
        // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day.
        Instant spring = next("30 2 * * *", BERLIN, "2026-03-29T00:00:00Z");
        assertThat(spring).isEqualTo("2026-03-29T01:00:00Z"); // 03:00 CEST, the end of the gap
        assertThat(next("30 2 * * *", BERLIN, spring.toString())).isEqualTo("2026-03-30T00:30:00Z");
        // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 happens twice; it fires at the first only.
        Instant fall = next("30 2 * * *", BERLIN, "2026-10-24T23:00:00Z");
        assertThat(fall).isEqualTo("2026-10-25T00:30:00Z");
        assertThat(next("30 2 * * *", BERLIN, fall.toString())).isEqualTo("2026-10-26T01:30:00Z");
    }

    @Test
    void aCronTriggerFiresAtNineInBerlinOnBothSidesOfTheDaylightSavingChange(Vertx vertx, VertxTestContext test)
            throws Exception {
        // Half a second before 09:00 Berlin on the last winter day; once it fires, the test moves the
        // clock to half a second before 09:00 on the first summer day, and the next timer is armed
        // from there.
        SetClock clock = new SetClock(Instant.parse("2026-03-28T07:59:59.500Z"));
        List<Instant> fired = new CopyOnWriteArrayList<>();
        AtomicReference<CronTimer> timer = new AtomicReference<>();
        timer.set(new CronTimer(vertx, clock, CronSchedule.of("0 9 * * *", BERLIN), due -> {
                    fired.add(due);
                    if (fired.size() == 1) {
                        clock.set(Instant.parse("2026-03-29T06:59:59.500Z"));
                    } else {
                        timer.get().stop();
                        test.completeNow();
                    }
                })
                .start());

        assertThat(test.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactly(Instant.parse("2026-03-28T08:00:00Z"), Instant.parse("2026-03-29T07:00:00Z"));
    }

    @Test
    void aTimerThatWakesWithTheClockStillBeforeItsInstantDoesNotFireThatInstantAgain(Vertx vertx, VertxTestContext test)
            throws Exception {
        // The clock never moves: the first firing is due 0.2 s "later", and the next one is a day on,
        // so within the wait below exactly one firing happens.
        SetClock clock = new SetClock(Instant.parse("2026-10-24T23:59:59.800Z"));
        List<Instant> fired = new CopyOnWriteArrayList<>();
        CronTimer timer = new CronTimer(vertx, clock, CronSchedule.of("0 0 * * *", ZoneOffset.UTC), fired::add).start();
        vertx.setTimer(1500, id -> {
            timer.stop();
            test.completeNow();
        });
        assertThat(test.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactly(Instant.parse("2026-10-25T00:00:00Z"));
    }
}
