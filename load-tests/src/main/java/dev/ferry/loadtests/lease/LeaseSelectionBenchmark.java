package dev.ferry.loadtests.lease;

import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.lease.ReadyIndex;
import dev.ferry.coordinator.lease.TierPicker;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lease selection on one member, without Hazelcast: {@link TierPicker} chooses a tier among
 * those {@link ReadyIndex} has ready, the index hands out the next repository's job; then the
 * job is released and queued again, so the index stays at its size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LeaseSelectionBenchmark {

    @Param({"100000"})
    int jobs;

    private ReadyIndex index;
    private TierPicker picker;
    private final Map<JobKey, Job> byKey = new HashMap<>();
    private long now;

    @Setup
    public void setUp() {
        index = new ReadyIndex();
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("critical", 8);
        weights.put("high", 4);
        weights.put("normal", 2);
        weights.put("bulk", 1);
        picker = new TierPicker(weights);
        now = System.currentTimeMillis();
        for (int i = 0; i < jobs; i++) {
            Job job = LeaseBenchmark.job(i / 10, i % 10, now);
            byKey.put(job.key(), job);
            index.onJob(job);
        }
    }

    @Benchmark
    public JobKey selectOne() {
        String tier = picker.next(t -> index.hasReady(t, now));
        JobKey key = index.take(tier, now);
        index.release(key);
        index.onJob(byKey.get(key));
        return key;
    }
}
