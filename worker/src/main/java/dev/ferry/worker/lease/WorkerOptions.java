package dev.ferry.worker.lease;

import java.time.Duration;

/**
 * How a worker runs.
 *
 * @param workerId how the coordinator knows this worker; stable for its lifetime
 * @param region where the worker is, so the coordinator leases it jobs near it
 * @param concurrency jobs run at the same time, and the most leases asked for at once
 * @param waitSeconds how long one long poll for leases may wait at the coordinator
 * @param blobConcurrency blobs of one job copied at the same time
 * @param backoffMin first pause after the coordinator could not be reached; doubles per failure
 * @param backoffMax longest pause
 */
public record WorkerOptions(
        String workerId,
        String region,
        int concurrency,
        int waitSeconds,
        int blobConcurrency,
        Duration backoffMin,
        Duration backoffMax) {

    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int DEFAULT_WAIT_SECONDS = 20;

    public static WorkerOptions of(String workerId, String region, int concurrency) {
        return new WorkerOptions(
                workerId, region, concurrency, DEFAULT_WAIT_SECONDS, 4, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public WorkerOptions {
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("the worker id is empty");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("the region is empty");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be between 1 and 256, got " + concurrency);
        }
        if (waitSeconds < 0 || waitSeconds > 300) {
            throw new IllegalArgumentException("waitSeconds must be between 0 and 300, got " + waitSeconds);
        }
        if (blobConcurrency < 1) {
            throw new IllegalArgumentException("blobConcurrency must be at least 1, got " + blobConcurrency);
        }
        if (backoffMin == null
                || backoffMax == null
                || backoffMin.isNegative()
                || backoffMin.isZero()
                || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max");
        }
    }

    public WorkerOptions withWaitSeconds(int seconds) {
        return new WorkerOptions(workerId, region, concurrency, seconds, blobConcurrency, backoffMin, backoffMax);
    }

    public WorkerOptions withBackoff(Duration min, Duration max) {
        return new WorkerOptions(workerId, region, concurrency, waitSeconds, blobConcurrency, min, max);
    }

    public WorkerOptions withBlobConcurrency(int blobs) {
        return new WorkerOptions(workerId, region, concurrency, waitSeconds, blobs, backoffMin, backoffMax);
    }
}
