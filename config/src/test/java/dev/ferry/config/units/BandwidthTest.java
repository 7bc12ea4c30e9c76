package dev.ferry.config.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BandwidthTest {

    @ParameterizedTest
    @CsvSource({
        "200MiB/s,209715200",
        "50MB/s,50000000",
        "1Gbit/s,125000000",
        "1.5Gbit/s,187500000",
        "100Mbit/s,12500000",
        "512KiB/s,524288",
        "10B/s,10",
        "1GiB/s,1073741824",
        "800bit/s,100"
    })
    void readsUnits(String text, long bytesPerSecond) {
        assertThat(Bandwidth.parse(text).bytesPerSecond()).isEqualTo(bytesPerSecond);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "200",
                "200MiB",
                "200 megs",
                "200MiBps",
                "-1MB/s",
                "0MB/s",
                "1Gb/s",
                "1gbit/s",
                "5iB/s",
                "99999999999999999999TiB/s"
            })
    void refusesMalformed(String text) {
        assertThatThrownBy(() -> Bandwidth.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bandwidth");
    }
}
