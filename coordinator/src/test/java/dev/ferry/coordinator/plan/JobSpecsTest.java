package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.common.lease.LeaseProtocol.TimeoutLimits;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.CircuitBreakerConfig;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RetryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.TimeoutsConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A job's endpoints carry the registry's limits from the schedule. */
class JobSpecsTest {

    @Test
    void anEndpointCarriesTheRegistrysLimitsAndSettings() {
        RegistryConfig hub = new RegistryConfig(
                "hub",
                "https://hub.example.com",
                "eu",
                false,
                null,
                50,
                16,
                new RetryConfig(3, Duration.ofMillis(250), Duration.ofSeconds(8)),
                new CircuitBreakerConfig(40, 7, Duration.ofSeconds(12)),
                new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)));

        Endpoint e = JobSpecs.endpoint(hub, "team/app", "v1");

        assertThat(e.limits())
                .isEqualTo(new Limits(
                        50,
                        16,
                        new RetryLimits(3, 250, 8_000),
                        new BreakerLimits(40, 7, 12_000),
                        new TimeoutLimits(1_000, 2_000, 3_000)));
    }

    @Test
    void anUnlimitedRegistrySendsItsDefaultsAndNoCaps() {
        RegistryConfig plain = new RegistryConfig("hub", "https://hub.example.com", "eu", false, null, null, null);

        Limits limits = JobSpecs.endpoint(plain, "team/app", "v1").limits();

        assertThat(limits.requestsPerSecond()).isNull();
        assertThat(limits.maxConcurrency()).isNull();
        assertThat(limits.retry()).isEqualTo(new RetryLimits(5, 500, 30_000));
        assertThat(limits.circuitBreaker()).isEqualTo(new BreakerLimits(50, 5, 30_000));
    }

    @Test
    void anOciLayoutCarriesNoLimits() {
        RegistryConfig layout = new RegistryConfig("usb", "oci:/media/usb", "eu", false, null, null, null);

        assertThat(JobSpecs.endpoint(layout, "app", "v1").limits()).isNull();
    }

    @Test
    void aJobCarriesThePolicysReferrerFilter() {
        Schedule schedule = ScheduleLoader.parse("s.yaml", """
        version: 1
        registries:
          - { name: hub, url: https://hub.example.com }
          - { name: mirror, url: https://mirror.example.com }
        policies:
          - name: signed
            source: { registry: hub, repositories: [app] }
            targets: [ { registry: mirror } ]
            trigger: { interval: 5m }
            referrers: { include: [signature, "application/spdx+json"], exclude: [attestation] }
          - name: every
            source: { registry: hub, repositories: [app] }
            targets: [ { registry: mirror } ]
            trigger: { interval: 5m }
            referrers: true
        """, Path.of("."));
        RegistryConfig hub = schedule.registries().get(0);
        RegistryConfig mirror = schedule.registries().get(1);
        String digest = "sha256:" + "a".repeat(64);

        JobSpec some = JobSpecs.of(schedule.policies().get(0), "run-1", hub, "app", digest, mirror, "app", "v1");
        JobSpec every = JobSpecs.of(schedule.policies().get(1), "run-1", hub, "app", digest, mirror, "app", "v1");

        assertThat(some.referrers()).isTrue();
        assertThat(some.referrerInclude()).containsExactly("signature", "application/spdx+json");
        assertThat(some.referrerExclude()).containsExactly("attestation");
        assertThat(every.referrers()).isTrue();
        assertThat(every.referrerInclude()).isEmpty();
        assertThat(every.referrerExclude()).isEmpty();
    }
}
