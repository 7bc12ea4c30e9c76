package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    /** Tue, 15 Nov 1994 08:12:31 GMT. */
    private static final Clock NOW = Clock.fixed(Instant.parse("1994-11-15T08:12:31Z"), ZoneOffset.UTC);

    private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);

    @Test
    void readsDeltaSeconds() {
        assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void zeroSecondsIsZero() {
        assertThat(RetryAfter.parse("0", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(RetryAfter.parse("  30 ", NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsHttpDateRelativeToTheClock() {
        assertThat(RetryAfter.parse("Tue, 15 Nov 1994 08:14:01 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void httpDateIsRelativeToTheGivenClockNotTheSystemClock() {
        Clock later = Clock.offset(NOW, Duration.ofSeconds(60));

        assertThat(RetryAfter.parse("Tue, 15 Nov 1994 08:14:01 GMT", later)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void httpDateOfNowIsZero() {
        assertThat(RetryAfter.parse("Tue, 15 Nov 1994 08:12:31 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void pastHttpDateIsZero() {
        assertThat(RetryAfter.parse("Mon, 14 Nov 1994 08:12:31 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void farFutureHttpDateIsClampedToFifteenMinutes() {
        assertThat(RetryAfter.parse("Wed, 16 Nov 1994 08:12:31 GMT", NOW)).isEqualTo(FIFTEEN_MINUTES);
    }

    @Test
    void largeDeltaIsClampedToFifteenMinutes() {
        assertThat(RetryAfter.parse("86400", NOW)).isEqualTo(FIFTEEN_MINUTES);
        assertThat(RetryAfter.parse(String.valueOf(Long.MAX_VALUE), NOW)).isEqualTo(FIFTEEN_MINUTES);
    }

    @Test
    void exactlyFifteenMinutesIsKept() {
        assertThat(RetryAfter.parse("900", NOW)).isEqualTo(FIFTEEN_MINUTES);
        assertThat(RetryAfter.parse("899", NOW)).isEqualTo(Duration.ofSeconds(899));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-3600"})
    void negativeSecondsAreNull(String value) {
        assertThat(RetryAfter.parse(value, NOW)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "soon",
                "1.5",
                "10s",
                "15 Nov 1994",
                "2024-05-01T12:00:00Z",
                "Tue, 15 Nov 1994 25:00:00 GMT",
                "0x10"
            })
    void garbageIsNull(String value) {
        assertThat(RetryAfter.parse(value, NOW)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankIsNull(String value) {
        assertThat(RetryAfter.parse(value, NOW)).isNull();
    }

    @Test
    void absentIsNull() {
        assertThat(RetryAfter.parse(null, NOW)).isNull();
    }
}
