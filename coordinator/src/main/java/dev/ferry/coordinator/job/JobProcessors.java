package dev.ferry.coordinator.job;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.Outcome;
import dev.ferry.coordinator.conflict.ConflictRule;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every change to a job is one of these entry processors, run atomically on the partition
 * thread that owns the job. That is where lease exclusivity and fencing are decided; the
 * callers only pass {@code now} in, so tests control time.
 */
public final class JobProcessors {

    private JobProcessors() {}

    /** Creates a planned job, or re-plans an idle one in place. A leased job is left alone. */
    public record Upsert(Job planned, long now) implements EntryProcessor<JobKey, Job, JobState> {
        @Override
        public JobState process(Map.Entry<JobKey, Job> entry) {
            Job current = entry.getValue();
            if (current == null) {
                entry.setValue(planned);
                return JobState.QUEUED;
            }
            if (current.state() == JobState.LEASED) {
                return JobState.LEASED;
            }
            JobSpec spec = planned.spec();
            Job next = current.replanned(planned.runId(), planned.sourceDigest(), spec, now);
            if (current.state() == JobState.HELD && current.notBefore() > now) {
                // Re-planning does not make an unavailable registry available: keep the hold.
                next = next.held(current.notBefore(), current.lastError(), now);
            }
            entry.setValue(next);
            return next.state();
        }
    }

    /** Leases a queued or held job whose wait has passed; null when it is not leasable now. */
    public record Lease(String leaseId, String workerId, long ttlMillis, long now)
            implements EntryProcessor<JobKey, Job, Job> {
        @Override
        public Job process(Map.Entry<JobKey, Job> entry) {
            Job j = entry.getValue();
            if (j == null || !j.waiting() || j.notBefore() > now) {
                return null;
            }
            Job leased = j.leased(leaseId, workerId, now + ttlMillis, now);
            entry.setValue(leased);
            return leased;
        }
    }

    /**
     * Extends a valid lease; null when the lease is lost. A negative {@code fencingToken}
     * renews by lease id alone (lease ids are random and never reused, so the id names one
     * lease), sparing the caller a read of the job first.
     */
    public record Renew(String leaseId, long fencingToken, long bytesDone, long ttlMillis, long now)
            implements EntryProcessor<JobKey, Job, Job> {
        @Override
        public Job process(Map.Entry<JobKey, Job> entry) {
            Job j = entry.getValue();
            if (j == null || !j.leaseValid(leaseId, fencingToken < 0 ? j.fencingToken() : fencingToken, now)) {
                return null;
            }
            Job renewed = j.renewed(now + ttlMillis, bytesDone, now);
            entry.setValue(renewed);
            return renewed;
        }
    }

    /**
     * Decides whether a lease may write {@code digest} under the tag (the three-way rule of
     * {@link ConflictRule}) and, when it may, records the intent. Null for a stale token or an
     * expired lease.
     *
     * @param current what the target tag holds now, as the worker saw it; null when absent
     * @param lastWritten what Ferry last wrote there according to the tag history; when null,
     *     the job's own {@code writtenDigest} stands in
     * @param onConflict the policy's onConflict (overwrite, skip, fail, backup)
     * @param immutable whether the tag matches the policy's immutableTags
     */
    public record CommitIntent(
            String leaseId,
            long fencingToken,
            String tag,
            String digest,
            String current,
            String lastWritten,
            String onConflict,
            boolean immutable,
            long now)
            implements EntryProcessor<JobKey, Job, CommitDecision> {
        @Override
        public CommitDecision process(Map.Entry<JobKey, Job> entry) {
            Job j = entry.getValue();
            if (j == null || !j.leaseValid(leaseId, fencingToken, now) || !tag.equals(j.tag())) {
                return null;
            }
            String last = lastWritten != null ? lastWritten : j.writtenDigest();
            CommitDecision decision = ConflictRule.decide(tag, digest, current, last, onConflict, immutable, now);
            if (decision.allowed()) {
                entry.setValue(j.withIntent(digest, current, decision.backupTag(), now));
            }
            return decision;
        }
    }

    /**
     * Ends a lease with the worker's outcome. A temporary failure goes back to the queue with
     * backoff until the attempts run out. A held job (a registry it needs is unavailable) waits
     * {@code holdMillis}, clamped to [{@link #MIN_HOLD_MILLIS}, {@link #MAX_HOLD_MILLIS}], with
     * its attempts unchanged. Null when the lease is no longer this one's.
     */
    public record Complete(
            String leaseId,
            long fencingToken,
            Outcome outcome,
            String error,
            boolean temporary,
            Backoff backoff,
            long retentionMillis,
            long now,
            long holdMillis)
            implements EntryProcessor<JobKey, Job, Job> {

        /** A worker that asks for no hold, or one shorter than this, waits this long: no hot loop. */
        public static final long MIN_HOLD_MILLIS = 1_000;
        /** A hold longer than this is cut short, so a bad report cannot park a job for days. */
        public static final long MAX_HOLD_MILLIS = 3_600_000;
        /** The hold when a worker gives none. */
        public static final long DEFAULT_HOLD_MILLIS = 30_000;

        public Complete(
                String leaseId,
                long fencingToken,
                Outcome outcome,
                String error,
                boolean temporary,
                Backoff backoff,
                long retentionMillis,
                long now) {
            this(leaseId, fencingToken, outcome, error, temporary, backoff, retentionMillis, now, 0);
        }

        @Override
        public Job process(Map.Entry<JobKey, Job> entry) {
            Job j = entry.getValue();
            // An expired lease that nobody re-leased is still this worker's: accept its outcome.
            if (j == null
                    || j.state() != JobState.LEASED
                    || !leaseId.equals(j.leaseId())
                    || fencingToken != j.fencingToken()) {
                return null;
            }
            Job next = switch (outcome) {
                case SUCCEEDED ->
                    j.finished(
                            JobState.SUCCEEDED,
                            null,
                            j.intentDigest() != null ? j.intentDigest() : j.sourceDigest(),
                            now);
                case CONFLICT -> j.finished(JobState.CONFLICT, error, j.writtenDigest(), now);
                case REJECTED -> j.finished(JobState.REJECTED, error, j.writtenDigest(), now);
                case HELD ->
                    j.held(
                            now
                                    + Math.min(
                                            MAX_HOLD_MILLIS,
                                            Math.max(
                                                    MIN_HOLD_MILLIS,
                                                    holdMillis > 0 ? holdMillis : DEFAULT_HOLD_MILLIS)),
                            error,
                            now);
                case FAILED -> {
                    int attempts = j.attempts() + 1;
                    long seed = j.id().hashCode() * 1_000_003L + j.fencingToken();
                    yield temporary && attempts < backoff.maxAttempts()
                            ? j.requeued(attempts, now + backoff.delayMillis(attempts, seed), error, now)
                            : j.finished(JobState.FAILED, error, j.writtenDigest(), now);
                }
            };
            if (next.state().finished()) {
                // Finished jobs stay visible to the API for a while, then leave the map.
                ((ExtendedMapEntry<JobKey, Job>) entry).setValue(next, retentionMillis, TimeUnit.MILLISECONDS);
            } else {
                entry.setValue(next);
            }
            return next;
        }
    }

    /**
     * Cancels a job that has not finished: queued or held ones never run, and a leased one
     * loses its lease (its next renew, commit-intent or completion is refused, so its worker
     * stops the copy and never writes the tag). Null when the job had already finished.
     */
    public record Cancel(String reason, long retentionMillis, long now) implements EntryProcessor<JobKey, Job, Job> {
        @Override
        public Job process(Map.Entry<JobKey, Job> entry) {
            Job j = entry.getValue();
            if (j == null || j.state().finished()) {
                return null;
            }
            Job cancelled = j.cancelled(reason, now);
            ((ExtendedMapEntry<JobKey, Job>) entry).setValue(cancelled, retentionMillis, TimeUnit.MILLISECONDS);
            return cancelled;
        }
    }

    /**
     * Holds a waiting job whose target registry takes no writes now (down, or out of service),
     * without counting an attempt; null when the job is not waiting.
     */
    public record Hold(String reason, long until, long now) implements EntryProcessor<JobKey, Job, Job> {
        @Override
        public Job process(Map.Entry<JobKey, Job> entry) {
            Job j = entry.getValue();
            if (j == null || !j.waiting()) {
                return null;
            }
            Job held = j.held(until, reason, now);
            entry.setValue(held);
            return held;
        }
    }

    /** Re-queues a lease that expired (its worker died or was cut off); null when still valid. */
    public record Expire(long now) implements EntryProcessor<JobKey, Job, Job> {
        @Override
        public Job process(Map.Entry<JobKey, Job> entry) {
            Job j = entry.getValue();
            if (j == null || j.state() != JobState.LEASED || j.leaseExpiresAt() >= now) {
                return null;
            }
            Job requeued =
                    j.requeued(j.attempts(), 0, "lease expired (worker " + j.workerId() + " stopped renewing)", now);
            entry.setValue(requeued);
            return requeued;
        }
    }
}
