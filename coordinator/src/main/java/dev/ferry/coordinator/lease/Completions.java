package dev.ferry.coordinator.lease;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.common.lease.Outcome;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TagWrite;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKind;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.run.RunManager;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a completed job leaves behind, once the {@code Complete} processor has settled it: its
 * metrics, the audit record of a signature rejection, the tag writes in the history (and so the
 * ledger), and a nudge to its run. The run is nudged only after the writes are recorded, so a
 * sync answered at the run's end finds them.
 */
public final class Completions {

    private static final Logger LOG = LoggerFactory.getLogger(Completions.class);

    private final ReloadableSchedule schedule;
    private final TagHistory history;
    private final RunManager runs;
    private final AuditTrail audit;
    private final FerryMetrics metrics;
    private final Clock clock;

    public Completions(
            ReloadableSchedule schedule,
            TagHistory history,
            RunManager runs,
            AuditTrail audit,
            FerryMetrics metrics,
            Clock clock) {
        this.schedule = schedule;
        this.history = history;
        this.runs = runs;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Counts a batch request of {@code items} completions. */
    void batch(int items) {
        metrics.completionBatch(items);
    }

    /** Counts the completion; called as soon as the processor answered. */
    void count(Job done, Outcome outcome, LeaseProtocol.Completion c) {
        metrics.jobCompleted(
                done.tier(), outcome.wireName(), Duration.ofMillis(Math.max(0, clock.millis() - done.createdAt())));
        if (outcome == Outcome.CONFLICT) {
            metrics.conflict(done.policy());
        }
        if (outcome == Outcome.SUCCEEDED) {
            countPrewarmed(done, c.bytesCopied());
        }
    }

    /** A job the {@code Complete} processor settled, with the completion that settled it. */
    record Settled(Job job, LeaseProtocol.Completion completion) {}

    /** Records what the job did, then tells its run. */
    Future<Void> record(Job done, LeaseProtocol.Completion c) {
        return recordAll(List.of(new Settled(done, c)));
    }

    /**
     * Records what jobs completed together did, their tag writes in one grouped history
     * write ({@link TagHistory#recordAll}), then tells their runs.
     */
    Future<Void> recordAll(List<Settled> done) {
        List<Future<Void>> audited = done.stream()
                .map(d ->
                        recordRejection(d.job(), d.completion()).compose(v -> recordFallback(d.job(), d.completion())))
                .toList();
        List<TagWrite> writes =
                done.stream().flatMap(d -> writesOf(d.job()).stream()).toList();
        return Future.all(audited)
                .compose(v -> history.recordAll(writes))
                .onComplete(ar -> done.stream()
                        .map(Settled::job)
                        .filter(j -> j.state().finished())
                        .forEach(j -> runs.jobFinished(j.runId())));
    }

    /** The bytes a pre-warming policy's job copied count as pre-warmed at its target. */
    private void countPrewarmed(Job done, Long bytes) {
        if (bytes == null || bytes <= 0 || done.spec() == null || done.spec().target() == null) {
            return;
        }
        schedule.current()
                .policy(done.policy())
                .filter(p -> p.prewarm() != null)
                .ifPresent(p -> metrics.prewarmed(done.spec().target().registry(), bytes));
    }

    /**
     * A job whose source was read from one of its registry's fallback endpoints says so in the
     * log and the audit trail ({@code source.fallback}); a URL the job's source does not list is
     * ignored, so a worker cannot write arbitrary text there.
     */
    private Future<Void> recordFallback(Job j, LeaseProtocol.Completion c) {
        LeaseProtocol.Endpoint source = j.spec() == null ? null : j.spec().source();
        if (c.sourceEndpoint() == null
                || source == null
                || !source.fallbackUrls().contains(c.sourceEndpoint())) {
            return Future.succeededFuture();
        }
        j.log(LOG).info("source {} served by fallback {}", source.registry(), c.sourceEndpoint());
        return audit.record(
                "worker:" + j.workerId(),
                "source.fallback",
                "image/" + source.registry() + "/" + source.repository() + "@" + source.reference(),
                Map.of(
                        "endpoint",
                        c.sourceEndpoint(),
                        "job",
                        j.id(),
                        "run",
                        String.valueOf(j.runId()),
                        "outcome",
                        c.outcome()));
    }

    /** A signature rejection is audited and counted; the job is already {@code rejected}. */
    private Future<Void> recordRejection(Job j, LeaseProtocol.Completion c) {
        if (j.state() != JobState.REJECTED
                || !LeaseProtocol.Completion.SIGNATURE.equals(c.reason())
                || j.spec() == null
                || j.spec().source() == null
                || j.spec().target() == null) {
            return Future.succeededFuture();
        }
        LeaseProtocol.Endpoint source = j.spec().source();
        LeaseProtocol.Endpoint target = j.spec().target();
        metrics.signatureRejected(j.policy(), source.registry());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("policy", j.policy());
        details.put("job", j.id());
        details.put("target", target.registry() + "/" + target.repository() + ":" + j.tag());
        details.put("reason", c.error() == null ? "" : c.error());
        return audit.record(
                "worker:" + j.workerId(),
                "signature.rejected",
                "image/" + source.registry() + "/" + source.repository() + "@" + source.reference(),
                details);
    }

    /** A job that succeeded after an allowed intent wrote its tag (and maybe a backup tag first): those writes, in order. */
    private List<TagWrite> writesOf(Job j) {
        if (j.state() != JobState.SUCCEEDED
                || j.intentDigest() == null
                || j.spec() == null
                || j.spec().target() == null) {
            return List.of();
        }
        LeaseProtocol.Endpoint t = j.spec().target();
        String actor = "worker:" + j.workerId();
        long now = clock.millis();
        List<TagWrite> writes = new ArrayList<>(2);
        if (j.intentBackupTag() != null && j.intentPrevious() != null) {
            writes.add(new TagWrite(
                    t.registry(),
                    t.repository(),
                    j.intentBackupTag(),
                    TagWrite.BACKUP,
                    null,
                    j.intentPrevious(),
                    j.id(),
                    j.runId(),
                    j.policy(),
                    actor,
                    now));
        }
        JobKind kind = JobKind.of(j.policy());
        // A repair restores a policy's write and is recorded as that policy's.
        String policy = kind == JobKind.REPAIR ? j.spec().policy() : j.policy();
        String written = switch (kind) {
            case COPY -> TagWrite.WRITE;
            case ROLLBACK -> TagWrite.ROLLBACK;
            case REPAIR -> TagWrite.REPAIR;
        };
        writes.add(new TagWrite(
                t.registry(),
                t.repository(),
                j.tag(),
                written,
                j.intentPrevious(),
                j.intentDigest(),
                j.id(),
                j.runId(),
                policy,
                actor,
                now));
        return writes;
    }
}
