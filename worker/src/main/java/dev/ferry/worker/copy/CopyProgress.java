package dev.ferry.worker.copy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters a copy updates as it goes, read by whoever shows progress (a terminal, the
 * lease renewals). Thread-safe; cheap to update per chunk.
 */
public final class CopyProgress {

    private final AtomicLong bytesPlanned = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicInteger blobsPlanned = new AtomicInteger();
    private final AtomicInteger blobsDone = new AtomicInteger();
    private volatile String phase = "resolving";

    void plan(int blobs, long bytes) {
        blobsPlanned.addAndGet(blobs);
        bytesPlanned.addAndGet(bytes);
    }

    void addBytes(long n) {
        bytesDone.addAndGet(n);
    }

    void blobDone() {
        blobsDone.incrementAndGet();
    }

    void phase(String now) {
        this.phase = now;
    }

    public long bytesPlanned() {
        return bytesPlanned.get();
    }

    public long bytesDone() {
        return bytesDone.get();
    }

    public int blobsPlanned() {
        return blobsPlanned.get();
    }

    public int blobsDone() {
        return blobsDone.get();
    }

    public String phase() {
        return phase;
    }
}
