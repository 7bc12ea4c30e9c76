package dev.ferry.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerLoadTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerLoad load = new WorkerLoad(registry, clock);

    private double gauge(String name, String worker) {
        var g = registry.find(name).tag("worker", worker).gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Test
    void leasesAndBytesPerSecondFollowGrantsRenewalsAndCompletions() {
        load.granted("w1", "l1");
        load.granted("w1", "l2");
        load.granted("w2", "l3");
        assertThat(gauge("ferry.worker.leases", "w1")).isEqualTo(2);
        assertThat(gauge("ferry.worker.leases", "w2")).isEqualTo(1);

        now.addAndGet(2000);
        load.renewed("w1", "l1", 4_000_000);
        load.renewed("w1", "l2", 1_000_000);
        assertThat(gauge("ferry.worker.throughput.bytes.per.second", "w1")).isEqualTo(2_500_000);

        load.ended("w1", "l1");
        assertThat(gauge("ferry.worker.leases", "w1")).isEqualTo(1);
        assertThat(gauge("ferry.worker.throughput.bytes.per.second", "w1")).isEqualTo(500_000);
    }

    @Test
    void aLeaseNotRenewedForAMinuteStopsCountingAndAnIdleWorkerLosesItsSeries() {
        load.granted("w1", "l1");
        now.addAndGet(WorkerLoad.STALE_MILLIS + 1);
        assertThat(gauge("ferry.worker.leases", "w1")).isZero();

        now.addAndGet(WorkerLoad.IDLE_MILLIS + 1);
        load.forgetIdle();
        assertThat(registry.find("ferry.worker.leases").gauges()).isEmpty();
        assertThat(registry.find("ferry.worker.throughput.bytes.per.second").gauges())
                .isEmpty();
    }

    @Test
    void theNumberOfWorkerSeriesIsBounded() {
        for (int i = 0; i < WorkerLoad.MAX_WORKERS + 20; i++) {
            load.granted("w" + i, "l" + i);
        }
        assertThat(registry.find("ferry.worker.leases").gauges()).hasSize(WorkerLoad.MAX_WORKERS);
    }
}
