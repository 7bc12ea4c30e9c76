package dev.ferry.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.Outcome;
import dev.ferry.coordinator.lease.ReadyIndex;
import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job whose registry is unavailable is held: no attempt counted, leasable again once the
 * hold is over, and re-planning does not cut the hold short.
 */
class HeldJobsTest {

    private static final long NOW = 1_000_000L;
    private final JobKey key = JobKey.of("id-1", "normal", "mirror", "app");

    private Job leasedAfter(int attempts) {
        Job planned = Job.planned(key, "p", "run", "normal", "v1", "sha256:" + "a".repeat(64), null, 0);
        Job tried = planned.requeued(attempts, 0, "earlier failure", 10);
        return tried.leased("lease-1", "w-1", NOW + 30_000, NOW - 5);
    }

    private static <R> R run(Map.Entry<JobKey, Job> entry, com.hazelcast.map.EntryProcessor<JobKey, Job, R> p) {
        return p.process(entry);
    }

    private Map.Entry<JobKey, Job> entry(Job j) {
        return new AbstractMap.SimpleEntry<>(key, j);
    }

    private JobProcessors.Complete held(long holdMillis) {
        return new JobProcessors.Complete(
                "lease-1",
                1L,
                Outcome.HELD,
                "registry mirror unavailable",
                true,
                Backoff.defaults(),
                60_000L,
                NOW,
                holdMillis);
    }

    @Test
    void aHeldCompletionKeepsTheAttemptsAndWaitsForTheBreaker() {
        Map.Entry<JobKey, Job> e = entry(leasedAfter(2));

        Job next = run(e, held(12_000));

        assertThat(next.state()).isEqualTo(JobState.HELD);
        assertThat(next.attempts()).isEqualTo(2);
        assertThat(next.notBefore()).isEqualTo(NOW + 12_000);
        assertThat(next.lastError()).isEqualTo("registry mirror unavailable");
        assertThat(next.leaseId()).isNull();
        assertThat(e.getValue()).isEqualTo(next);
    }

    @Test
    void aFailedCompletionCountsAnAttemptWhereHeldDoesNot() {
        Job failed = run(
                entry(leasedAfter(2)),
                new JobProcessors.Complete(
                        "lease-1", 1L, Outcome.FAILED, "503", true, Backoff.defaults(), 60_000L, NOW));

        assertThat(failed.state()).isEqualTo(JobState.QUEUED);
        assertThat(failed.attempts()).isEqualTo(3);
    }

    @Test
    void theHoldIsClampedAndDefaulted() {
        assertThat(run(entry(leasedAfter(0)), held(0)).notBefore())
                .isEqualTo(NOW + JobProcessors.Complete.DEFAULT_HOLD_MILLIS);
        assertThat(run(entry(leasedAfter(0)), held(10)).notBefore())
                .isEqualTo(NOW + JobProcessors.Complete.MIN_HOLD_MILLIS);
        assertThat(run(entry(leasedAfter(0)), held(86_400_000)).notBefore())
                .isEqualTo(NOW + JobProcessors.Complete.MAX_HOLD_MILLIS);
    }

    @Test
    void aHeldJobIsLeasedOnlyOnceItsHoldIsOver() {
        Map.Entry<JobKey, Job> e = entry(leasedAfter(1));
        Job heldJob = run(e, held(5_000));

        assertThat(run(e, new JobProcessors.Lease("lease-2", "w-2", 30_000, NOW + 4_999)))
                .isNull();
        assertThat(e.getValue()).isEqualTo(heldJob);

        Job leased = run(e, new JobProcessors.Lease("lease-2", "w-2", 30_000, NOW + 5_000));
        assertThat(leased.state()).isEqualTo(JobState.LEASED);
        assertThat(leased.attempts()).isEqualTo(1);
        assertThat(leased.fencingToken()).isEqualTo(heldJob.fencingToken() + 1);
    }

    @Test
    void theReadyIndexOffersAHeldJobOnceItsHoldIsOver() {
        ReadyIndex index = new ReadyIndex();
        Job heldJob = run(entry(leasedAfter(0)), held(5_000));

        index.onJob(heldJob);

        assertThat(index.hasReady("normal", NOW + 4_999)).isFalse();
        assertThat(index.take("normal", NOW + 4_999)).isNull();
        assertThat(index.hasReady("normal", NOW + 5_000)).isTrue();
        assertThat(index.take("normal", NOW + 5_000)).isEqualTo(key);
    }

    @Test
    void replanningAHeldJobKeepsTheHold() {
        Map.Entry<JobKey, Job> e = entry(leasedAfter(1));
        Job heldJob = run(e, held(5_000));
        Job planned = Job.planned(key, "p", "run-2", "normal", "v1", "sha256:" + "b".repeat(64), null, NOW + 1);

        JobState state = run(e, new JobProcessors.Upsert(planned, NOW + 1));

        assertThat(state).isEqualTo(JobState.HELD);
        assertThat(e.getValue().state()).isEqualTo(JobState.HELD);
        assertThat(e.getValue().notBefore()).isEqualTo(heldJob.notBefore());
        assertThat(e.getValue().runId()).isEqualTo("run-2");
        assertThat(e.getValue().sourceDigest()).isEqualTo("sha256:" + "b".repeat(64));
    }
}
