package dev.ferry.worker.lease;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's counters, updated on the loop's context and readable from any thread. */
final class WorkerCounters {

    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong handedBack = new AtomicLong();

    void started() {
        active.incrementAndGet();
    }

    void settled(JobExecution.Outcome outcome) {
        active.decrementAndGet();
        switch (outcome) {
            case SUCCEEDED -> succeeded.incrementAndGet();
            case FAILED -> failed.incrementAndGet();
            case REJECTED -> rejected.incrementAndGet();
            case CONFLICT -> conflicts.incrementAndGet();
            case HELD -> held.incrementAndGet();
            case LOST -> lost.incrementAndGet();
            case HANDED_BACK -> handedBack.incrementAndGet();
            case ABANDONED -> {}
        }
    }

    int active() {
        return active.get();
    }

    long succeeded() {
        return succeeded.get();
    }

    /** Jobs reported held because a registry they need was unavailable. */
    long held() {
        return held.get();
    }

    long failedAll() {
        return failed.get() + rejected.get() + conflicts.get();
    }

    WorkerStatus snapshot(String workerId, boolean draining, int slots) {
        return new WorkerStatus(
                workerId,
                draining,
                slots,
                active.get(),
                succeeded.get(),
                failed.get(),
                rejected.get(),
                conflicts.get(),
                lost.get(),
                handedBack.get());
    }
}
