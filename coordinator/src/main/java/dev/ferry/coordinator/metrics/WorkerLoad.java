package dev.ferry.coordinator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-worker gauges from the grants, renewals and completions this member handles: the leases a
 * worker holds through it and the bytes per second they stream, measured between renewals.
 * Labelled by worker id, so the number of series is bounded: at most {@link #MAX_WORKERS}
 * workers, and a worker without a lease for {@link #IDLE_MILLIS} loses its series.
 */
public final class WorkerLoad {

    static final int MAX_WORKERS = 500;
    static final long IDLE_MILLIS = 5 * 60_000;
    /** Far longer than any renew interval (a third of the lease TTL). */
    static final long STALE_MILLIS = 60_000;

    private record Sample(long at, long bytes, double rate) {}

    private final class Worker {
        final Map<String, Sample> leases = new ConcurrentHashMap<>();
        final List<Gauge> gauges = new ArrayList<>();
        volatile long lastActive;

        int leases() {
            return (int) fresh().count();
        }

        double bytesPerSecond() {
            return fresh().mapToDouble(Sample::rate).sum();
        }

        /** Leases renewed lately: one that expired (its worker died) is never reported ended. */
        java.util.stream.Stream<Sample> fresh() {
            long now = clock.millis();
            leases.values().removeIf(sample -> now - sample.at() > STALE_MILLIS);
            return leases.values().stream();
        }
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    public WorkerLoad(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public void granted(String workerId, String leaseId) {
        Worker w = worker(workerId);
        if (w != null) {
            w.leases.put(leaseId, new Sample(clock.millis(), 0, 0));
        }
    }

    /** A renewal reporting {@code bytesDone} so far on the lease. */
    public void renewed(String workerId, String leaseId, long bytesDone) {
        Worker w = worker(workerId);
        if (w == null) {
            return;
        }
        long now = clock.millis();
        w.leases.compute(leaseId, (id, before) -> {
            if (before == null || now <= before.at() || bytesDone < before.bytes()) {
                return new Sample(now, bytesDone, before == null ? 0 : before.rate());
            }
            return new Sample(now, bytesDone, (bytesDone - before.bytes()) * 1000.0 / (now - before.at()));
        });
    }

    public void ended(String workerId, String leaseId) {
        Worker w = workerId == null ? null : workers.get(workerId);
        if (w != null) {
            w.leases.remove(leaseId);
            w.lastActive = clock.millis();
        }
        forgetIdle();
    }

    /** Drops the series of workers idle for longer than {@link #IDLE_MILLIS}. */
    public void forgetIdle() {
        long now = clock.millis();
        workers.forEach((id, w) -> {
            if (w.leases() == 0 && now - w.lastActive > IDLE_MILLIS && workers.remove(id, w)) {
                w.gauges.forEach(registry::remove);
            }
        });
    }

    private Worker worker(String workerId) {
        if (workerId == null) {
            return null;
        }
        Worker existing = workers.get(workerId);
        if (existing == null && workers.size() >= MAX_WORKERS) {
            forgetIdle();
            if (workers.size() >= MAX_WORKERS) {
                return null;
            }
        }
        Worker w = workers.computeIfAbsent(workerId, id -> {
            Worker created = new Worker();
            created.gauges.add(Gauge.builder("ferry.worker.leases", created, Worker::leases)
                    .description("Leases the worker holds, as renewed through this member")
                    .tag("worker", id)
                    .register(registry));
            created.gauges.add(Gauge.builder(
                            "ferry.worker.throughput.bytes.per.second", created, Worker::bytesPerSecond)
                    .description("Bytes per second the worker's leases streamed between their last two renewals through"
                            + " this member")
                    .tag("worker", id)
                    .register(registry));
            return created;
        });
        w.lastActive = clock.millis();
        return w;
    }
}
