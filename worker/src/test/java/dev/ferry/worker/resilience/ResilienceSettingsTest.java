package dev.ferry.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.common.lease.LeaseProtocol.TimeoutLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A lease's limits become settings: missing parts take the schedule's defaults, silly values a floor. */
class ResilienceSettingsTest {

    @Test
    void noLimitsMeanTheSchedulesDefaultsAndNoCaps() {
        assertThat(ResilienceSettings.of(null))
                .isEqualTo(new ResilienceSettings(
                        0,
                        0,
                        5,
                        Duration.ofMillis(500),
                        Duration.ofSeconds(30),
                        50,
                        5,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120)));
    }

    @Test
    void givenPartsAreTakenAndMissingOnesDefaulted() {
        ResilienceSettings s = ResilienceSettings.of(
                new Limits(20, 4, new RetryLimits(2, 100, 900), null, new TimeoutLimits(1_000, 2_000, 3_000)));

        assertThat(s.requestsPerSecond()).isEqualTo(20);
        assertThat(s.maxConcurrency()).isEqualTo(4);
        assertThat(s.maxAttempts()).isEqualTo(2);
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofMillis(900));
        assertThat(s.minimumCalls()).isEqualTo(5);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void valuesFromTheWireAreKeptSane() {
        ResilienceSettings s =
                ResilienceSettings.of(new Limits(-1, -3, new RetryLimits(0, 0, 0), new BreakerLimits(400, 0, 0), null));

        assertThat(s.requestsPerSecond()).isZero();
        assertThat(s.maxConcurrency()).isZero();
        assertThat(s.maxAttempts()).isEqualTo(1);
        assertThat(s.initialBackoff()).isEqualTo(Duration.ofMillis(10));
        assertThat(s.failureRateThreshold()).isEqualTo(100);
        assertThat(s.minimumCalls()).isEqualTo(1);
        assertThat(s.openFor()).isEqualTo(Duration.ofSeconds(1));
    }
}
