package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import dev.ferry.common.log.JobLog;
import dev.ferry.worker.copy.CopyProgress;
import dev.ferry.worker.copy.CopyResult;
import dev.ferry.worker.copy.ImageCopier;
import dev.ferry.worker.copy.KnownBlobs;
import dev.ferry.worker.copy.ResumableUploads;
import dev.ferry.worker.copy.Throttle;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased job: opens both sides, copies with the tag write fenced by
 * {@link LeaseGuard}, renews while the copy runs, and reports how it ended.
 *
 * <p>The job's result is settled exactly once, by whichever comes first: the copy's end,
 * the loss of the lease (not reported: the coordinator re-queues it), a hand-back on drain,
 * or abandonment on stop. Once settled the guard refuses, so a copy still streaming in the
 * background can no longer write the tag.
 */
final class JobExecution implements LeaseGuard.Holder {

    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

    enum Outcome {
        SUCCEEDED,
        FAILED,
        REJECTED,
        CONFLICT,
        HELD,
        LOST,
        HANDED_BACK,
        ABANDONED
    }

    private final Vertx vertx;
    private final LeaseChannel client;
    private final Lease lease;
    private final long createdNanos;
    private volatile CopyResult result;
    /** Both sides, once opened: the source says which fallback, if any, served it. */
    private volatile JobLocations.Opened opened;

    private final JobLocations locations;
    private final KnownBlobs known;
    private final ResumableUploads uploads;
    private final CompletionSink reporter;
    private final CopyProgress progress = new CopyProgress();
    private final LeaseRenewer renewer;
    private final Throttle throttle;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final JobLog log;
    private final Promise<Outcome> settled = Promise.promise();
    private final Promise<Void> copyEnded = Promise.promise();

    JobExecution(
            Vertx vertx,
            LeaseChannel client,
            Lease lease,
            JobLocations locations,
            KnownBlobs known,
            ResumableUploads uploads,
            CompletionSink reporter) {
        this.uploads = uploads;
        this.vertx = vertx;
        this.client = client;
        this.lease = lease;
        this.locations = locations;
        this.known = known;
        this.reporter = reporter;
        this.createdNanos = System.nanoTime();
        this.log = lease.job() == null
                ? JobLog.of(LOG, lease.jobId(), null, null, null)
                : JobLog.of(
                        LOG,
                        lease.jobId(),
                        lease.job().runId(),
                        lease.job().policy(),
                        lease.job().target());
        this.throttle = Throttle.of(lease.bandwidth());
        this.renewer = new LeaseRenewer(
                vertx,
                client,
                lease.leaseId(),
                lease.ttlMillis(),
                lease.renewMillis(),
                throttle,
                progress::bytesDone,
                this::lost,
                log);
    }

    Lease lease() {
        return lease;
    }

    /** What the copy did, once it succeeded; null otherwise. */
    CopyResult result() {
        return result;
    }

    /** Time since this execution was created. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - createdNanos);
    }

    /** Completes when the outcome is decided and, where it must be, reported. */
    Future<Outcome> settled() {
        return settled.future();
    }

    /** Completes when the copy has ended (or never started) and the outcome is settled. */
    Future<Void> finished() {
        return Future.join(settled.future(), copyEnded.future()).mapEmpty();
    }

    /** Runs the job; call on the context it should run on (its slot's). */
    void run() {
        if (!stillHeld()) {
            copyEnded.tryComplete();
            return;
        }
        log.info(
                "lease {} job {}: copying {} -> {}",
                lease.leaseId(),
                lease.jobId(),
                describeSource(),
                describeTarget());
        renewer.start();
        vertx.executeBlocking(() -> locations.open(lease.job()))
                .onSuccess(o -> opened = o)
                .compose(opened -> ImageCopier.builder(vertx, opened.options(), known)
                        .uploads(uploads)
                        .throttle(throttle)
                        .build()
                        .copy(opened.source(), opened.target(), progress, new LeaseGuard(client, lease, this)))
                .onComplete(this::copyDone);
    }

    /** Bytes verified so far, as reported in renewals. */
    long bytesDone() {
        return progress.bytesDone();
    }

    long bandwidth() {
        return renewer.bandwidth();
    }

    @Override
    public boolean stillHeld() {
        return !claimed.get();
    }

    /**
     * The coordinator said 409: the job is not ours anymore (it was cancelled, or re-queued
     * after the lease expired) and is not completed. The copy's streams stop at once.
     */
    @Override
    public void lost() {
        if (claimed.compareAndSet(false, true)) {
            renewer.stop();
            log.warn("lease {} job {}: lease lost; the tag will not be written", lease.leaseId(), lease.jobId());
            throttle.cancel(
                    new LeaseLostException("lease_lost", "lease " + lease.leaseId() + " was lost; copy stopped"));
            settled.tryComplete(Outcome.LOST);
        }
    }

    /** Gives the job back unfinished so it is re-queued at once; the running copy can no longer commit. */
    void handBack(String reason) {
        if (claimed.compareAndSet(false, true)) {
            renewer.stop();
            throttle.cancel(new IllegalStateException("handed back: " + reason));
            log.info("lease {} job {}: handed back ({})", lease.leaseId(), lease.jobId(), reason);
            report(Outcome.HANDED_BACK, Verdict.handedBack(reason));
        }
    }

    /** Hands the job back without running it (it arrived while the worker drains or is full). */
    void refuse(String reason) {
        copyEnded.tryComplete();
        handBack(reason);
    }

    /** Stops without telling the coordinator: the lease expires and the job is re-queued. */
    void abandon() {
        if (claimed.compareAndSet(false, true)) {
            renewer.stop();
            throttle.cancel(new IllegalStateException("worker stopping"));
            settled.tryComplete(Outcome.ABANDONED);
        }
    }

    private void copyDone(AsyncResult<CopyResult> ar) {
        renewer.stop();
        copyEnded.tryComplete();
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        if (ar.succeeded()) {
            CopyResult r = ar.result();
            result = r;
            log.info(
                    "lease {} job {}: succeeded, {} {} ({} blobs copied, {} bytes)",
                    lease.leaseId(),
                    lease.jobId(),
                    r.upToDate() ? "already up to date at" : "wrote",
                    r.targetDigest(),
                    r.blobsCopied(),
                    r.bytesCopied());
            report(Outcome.SUCCEEDED, Verdict.succeeded());
            return;
        }
        Verdict verdict = Verdict.of(ar.cause());
        log.warn(
                "lease {} job {}: {}{}: {}",
                lease.leaseId(),
                lease.jobId(),
                verdict.outcome().wireName(),
                verdict.temporary() ? " (temporary)" : "",
                verdict.error());
        report(
                switch (verdict.outcome()) {
                    case REJECTED -> Outcome.REJECTED;
                    case CONFLICT -> Outcome.CONFLICT;
                    case HELD -> Outcome.HELD;
                    case SUCCEEDED, FAILED -> Outcome.FAILED;
                },
                verdict);
    }

    private void report(Outcome outcome, Verdict verdict) {
        var completion = verdict.completion(lease.fencingToken());
        if (outcome == Outcome.SUCCEEDED && result != null) {
            completion = completion.withBytesCopied(result.bytesCopied());
        }
        String servedBy = opened == null ? null : opened.sourceServedBy();
        if (servedBy != null) {
            log.info(
                    "lease {} job {}: source {} served by fallback {}",
                    lease.leaseId(),
                    lease.jobId(),
                    lease.job().source().registry(),
                    servedBy);
            completion = completion.withSourceEndpoint(servedBy);
        }
        reporter.complete(lease.leaseId(), completion).onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof LeaseLostException) {
                log.warn("lease {} job {}: lost before its completion was recorded", lease.leaseId(), lease.jobId());
                settled.tryComplete(Outcome.LOST);
            } else {
                if (ar.failed()) {
                    log.warn(
                            "lease {} job {}: could not report {} ({}); the lease will expire and the job be re-queued",
                            lease.leaseId(),
                            lease.jobId(),
                            verdict.outcome().wireName(),
                            ar.cause().getMessage());
                }
                settled.tryComplete(outcome);
            }
        });
    }

    private String describeSource() {
        return lease.job() == null || lease.job().source() == null
                ? "?"
                : describe(lease.job().source());
    }

    private String describeTarget() {
        return lease.job() == null || lease.job().target() == null
                ? "?"
                : describe(lease.job().target());
    }

    private static String describe(Endpoint e) {
        String repository = e.repository() == null || e.repository().isEmpty() ? "" : "/" + e.repository();
        String reference = e.reference() == null ? "?" : e.reference();
        return e.registry() + repository + (reference.contains(":") ? "@" : ":") + reference;
    }
}
