package dev.ferry.coordinator.job;

import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.log.JobLog;
import java.io.Serializable;
import org.slf4j.Logger;

/**
 * One image to copy to one target repository, and everything about its progress. Immutable:
 * every transition makes a new Job, inside an entry processor on the partition thread.
 *
 * <p>Over 300 lines because the job record and every state change it can make (lease, renew, complete, hold, cancel, retry), each a small method; kept in one place so that a reader sees every transition of a job's state at once.
 *
 * @param notBefore epoch millis before which the job is not leased (backoff)
 * @param fencingToken rises on every lease; a stale token cannot write a tag
 * @param leaseExpiresAt epoch millis, meaningful while leased
 * @param intentDigest the digest a lease declared it is about to write under the tag; kept
 *     once the job finished, so the completion knows what was written
 * @param writtenDigest the digest Ferry last wrote under the tag (for conflicts and rollback)
 * @param intentPrevious what the tag held when the intent was allowed (null: absent)
 * @param intentBackupTag the tag under which the previous image was kept first, or null
 */
public record Job(
        String id,
        JobKey key,
        String policy,
        String runId,
        String tier,
        String tag,
        String sourceDigest,
        JobSpec spec,
        JobState state,
        int attempts,
        long notBefore,
        String lastError,
        long fencingToken,
        String leaseId,
        String workerId,
        long leaseExpiresAt,
        long bytesDone,
        String intentDigest,
        String writtenDigest,
        long createdAt,
        long updatedAt,
        String intentPrevious,
        String intentBackupTag)
        implements Serializable {

    /** A freshly planned job. */
    public static Job planned(
            JobKey key,
            String policy,
            String runId,
            String tier,
            String tag,
            String sourceDigest,
            JobSpec spec,
            long now) {
        return new Job(
                key.id(),
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                JobState.QUEUED,
                0,
                0,
                null,
                0,
                null,
                null,
                0,
                0,
                null,
                null,
                now,
                now,
                null,
                null);
    }

    /** Re-planned: new run and content, back in the queue, attempts and error reset, history kept. */
    Job replanned(String newRunId, String newSourceDigest, JobSpec newSpec, long now) {
        return new Job(
                id,
                key,
                policy,
                newRunId,
                tier,
                tag,
                newSourceDigest,
                newSpec,
                JobState.QUEUED,
                0,
                0,
                null,
                fencingToken,
                null,
                null,
                0,
                0,
                null,
                writtenDigest,
                createdAt,
                now,
                null,
                null);
    }

    Job leased(String newLeaseId, String worker, long expiresAt, long now) {
        return new Job(
                id,
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                JobState.LEASED,
                attempts,
                notBefore,
                lastError,
                fencingToken + 1,
                newLeaseId,
                worker,
                expiresAt,
                0,
                null,
                writtenDigest,
                createdAt,
                now,
                null,
                null);
    }

    Job renewed(long expiresAt, long bytes, long now) {
        return new Job(
                id,
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                state,
                attempts,
                notBefore,
                lastError,
                fencingToken,
                leaseId,
                workerId,
                expiresAt,
                bytes,
                intentDigest,
                writtenDigest,
                createdAt,
                now,
                intentPrevious,
                intentBackupTag);
    }

    Job withIntent(String digest, String previous, String backupTag, long now) {
        return new Job(
                id,
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                state,
                attempts,
                notBefore,
                lastError,
                fencingToken,
                leaseId,
                workerId,
                leaseExpiresAt,
                bytesDone,
                digest,
                writtenDigest,
                createdAt,
                now,
                previous,
                backupTag);
    }

    /** Ended; the worker and the intent stay, for the record of what this lease wrote. */
    Job finished(JobState end, String error, String written, long now) {
        return new Job(
                id,
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                end,
                attempts + 1,
                notBefore,
                error,
                fencingToken,
                null,
                workerId,
                0,
                bytesDone,
                intentDigest,
                written,
                createdAt,
                now,
                intentPrevious,
                intentBackupTag);
    }

    /** Cancelled by an operator: finished, no attempt counted, the lease (if any) void. */
    Job cancelled(String reason, long now) {
        return new Job(
                id,
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                JobState.CANCELLED,
                attempts,
                notBefore,
                reason,
                fencingToken,
                null,
                workerId,
                0,
                bytesDone,
                null,
                writtenDigest,
                createdAt,
                now,
                null,
                null);
    }

    /** Back in the queue after a temporary failure or a lost lease, not before {@code until}. */
    Job requeued(int newAttempts, long until, String error, long now) {
        return waiting(JobState.QUEUED, newAttempts, until, error, now);
    }

    /**
     * Held because a registry it needs is unavailable: no attempt is counted, and it becomes
     * leasable again at {@code until}, when the worker's circuit breaker lets a trial through.
     */
    Job held(long until, String error, long now) {
        return waiting(JobState.HELD, attempts, until, error, now);
    }

    private Job waiting(JobState waitState, int newAttempts, long until, String error, long now) {
        return new Job(
                id,
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                waitState,
                newAttempts,
                until,
                error,
                fencingToken,
                null,
                null,
                0,
                0,
                null,
                writtenDigest,
                createdAt,
                now,
                null,
                null);
    }

    /** Queued or held: leasable once {@code notBefore} has passed. */
    public boolean waiting() {
        return state == JobState.QUEUED || state == JobState.HELD;
    }

    public boolean leaseValid(String lease, long token, long now) {
        return state == JobState.LEASED && lease.equals(leaseId) && token == fencingToken && leaseExpiresAt >= now;
    }

    /** Log lines about this job, carrying its job, run, policy, registry and repository. */
    public JobLog log(Logger logger) {
        return JobLog.of(logger, id, runId, policy, spec == null ? null : spec.target());
    }
}
