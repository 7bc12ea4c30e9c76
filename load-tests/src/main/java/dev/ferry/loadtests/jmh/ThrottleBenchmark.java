package dev.ferry.loadtests.jmh;

import dev.ferry.worker.copy.Throttle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The link token bucket ({@code copy/Throttle}): the cost of accounting one 64 KiB buffer, alone
 * and with four streams sharing one throttle (as the copies of one lease on one link do). The
 * rate is high enough never to make a stream wait, so this is the bookkeeping alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ThrottleBenchmark {

    private Throttle throttle;

    @Setup
    public void setUp() {
        throttle = new Throttle(Long.MAX_VALUE / 1_000_000_000L, System::nanoTime);
    }

    @Benchmark
    @Threads(1)
    public long take64KiBAlone() {
        return throttle.take(65536);
    }

    @Benchmark
    @Threads(4)
    public long take64KiBFourStreams() {
        return throttle.take(65536);
    }
}
