package dev.ferry.config.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"30s,PT30S", "5m,PT5M", "1h30m,PT1H30M", "2d,PT48H", "500ms,PT0.5S", "1h0m5s,PT1H5S", "90m,PT1H30M"})
    void readsUnits(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "5",
                "5 m",
                "5min",
                "m5",
                "1.5h",
                "30m1h",
                "5m5m",
                "-5m",
                "5M",
                "99999999999999999d",
                "99999999999999999999s"
            })
    void refusesMalformed(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "5m", "1h30m", "2d", "1d2h3m4s5ms"})
    void formatReadsBack(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
}
