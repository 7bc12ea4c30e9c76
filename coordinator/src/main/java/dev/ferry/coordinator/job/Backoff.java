package dev.ferry.coordinator.job;

import java.io.Serializable;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Exponential backoff with jitter for retried jobs: attempt n waits between half and all of
 * {@code base * 2^(n-1)}, capped, so many failing jobs do not retry in lockstep.
 *
 * <p>The jitter is drawn from a seed the caller gives (the job and its attempt), not from a
 * shared random source: an entry processor runs again on the backup replica, and both
 * replicas must arrive at the same {@code notBefore}.
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) implements Serializable {

    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10), 8);
    }

    public long delayMillis(int attempt, long seed) {
        long ceiling = base.toMillis() << Math.min(20, Math.max(0, attempt - 1));
        long capped = Math.min(ceiling, cap.toMillis());
        return capped / 2 + new SplittableRandom(seed * 31 + attempt).nextLong(capped / 2 + 1);
    }
}
