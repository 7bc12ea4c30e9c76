package dev.ferry.coordinator.lease;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.common.lease.Outcome;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.Policy;
import dev.ferry.coordinator.conflict.ConflictRule;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobKind;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.job.LeaseIds;
import dev.ferry.coordinator.job.TagWriters;
import dev.ferry.coordinator.metrics.WorkerLoad;
import dev.ferry.coordinator.quota.LinkQuotas;
import dev.ferry.coordinator.quota.WorkerShares;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Leases} over the cluster's jobs: the lease protocol's rules. Each call is checked by
 * {@link LeaseChecks} first; the fencing itself is decided by the job's entry processors
 * ({@code JobProcessors}), never here. Around them this class adds what the protocol promises
 * beyond the job: bandwidth shares and registry limits, one writer per tag cluster-wide
 * ({@link TagWriters}), the three-way conflict inputs, and the completion's records
 * ({@link Completions}).
 *
 * <p>Over 300 lines because a batch of completions ({@link #completeAll}) must go through the
 * very steps of a single one (checks, quota release, the processor, the tag claim, records);
 * kept beside them, the two paths cannot drift apart.
 */
public final class ClusterLeases implements Leases {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLeases.class);

    private final ReloadableSchedule schedule;
    private final JobStore jobs;
    private final LeaseService leases;
    private final TagWriters writers;
    private final TagHistory history;
    private final LinkQuotas quotas;
    private final WorkerShares workerShares;
    private final WorkerLoad workerLoad;
    private final SeenWorkers seen;
    private final BiConsumer<String, List<String>> openBreakers;
    private final Completions completions;
    private final Clock clock;

    /**
     * @param openBreakers where a worker's open circuit breakers are reported (the failover monitor)
     * @param completions what a completed job leaves behind
     */
    public ClusterLeases(
            ReloadableSchedule schedule,
            JobStore jobs,
            LeaseService leases,
            TagWriters writers,
            TagHistory history,
            LinkQuotas quotas,
            WorkerShares workerShares,
            WorkerLoad workerLoad,
            SeenWorkers seen,
            BiConsumer<String, List<String>> openBreakers,
            Completions completions,
            Clock clock) {
        this.schedule = schedule;
        this.jobs = jobs;
        this.leases = leases;
        this.writers = writers;
        this.history = history;
        this.quotas = quotas;
        this.workerShares = workerShares;
        this.workerLoad = workerLoad;
        this.seen = seen;
        this.openBreakers = openBreakers;
        this.completions = completions;
        this.clock = clock;
    }

    @Override
    public Future<Optional<LeaseProtocol.LeaseResponse>> lease(String workerId, LeaseProtocol.LeaseRequest request) {
        LeaseProtocol.LeaseRequest r;
        try {
            r = LeaseChecks.leaseRequest(request);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        long ttl = leases.settings().ttl().toMillis();
        workerShares.seen(workerId);
        if (!r.openBreakers().isEmpty()) {
            openBreakers.accept(workerId, r.openBreakers());
        }
        return leases.lease(workerId, r.region(), r.capacity(), r.waitSeconds() * 1000L)
                .map(got -> {
                    seen.polled(new SeenWorkers.Worker(
                            workerId, r.region(), Instant.ofEpochMilli(clock.millis()), got.size()));
                    if (got.isEmpty()) {
                        return Optional.empty();
                    }
                    List<LeaseProtocol.Lease> out = got.stream()
                            .map(j -> {
                                LinkQuotas.Grant grant = quotas.granted(j);
                                workerLoad.granted(workerId, j.leaseId());
                                return new LeaseProtocol.Lease(
                                        j.leaseId(),
                                        j.id(),
                                        j.fencingToken(),
                                        ttl,
                                        grant.bandwidth(),
                                        workerShares.divide(j.spec()),
                                        grant.renewMillis());
                            })
                            .toList();
                    return Optional.of(new LeaseProtocol.LeaseResponse(out));
                });
    }

    /**
     * Extends the lease named by its id. The renew carries no fencing token: the lease id is
     * unique per grant (a re-lease gets a new id and a higher token), so it names one grant as
     * precisely as the token would, and the processor refuses it once the job is leased again.
     */
    @Override
    public Future<LeaseProtocol.RenewResponse> renew(String leaseId, LeaseProtocol.RenewRequest request) {
        return onLease(leaseId, request, LeaseChecks::renew, (key, r) -> extend(key, leaseId, r));
    }

    private Future<LeaseProtocol.RenewResponse> extend(JobKey key, String leaseId, LeaseProtocol.RenewRequest r) {
        long ttl = leases.settings().ttl().toMillis();
        return jobs.renew(key, leaseId, -1, r.bytesDone(), ttl).compose(j -> {
            if (j.isEmpty()) {
                quotas.released(leaseId);
                return Future.failedFuture(ApiException.leaseLost(leaseId));
            }
            if (j.get().intentDigest() != null) {
                // Past its commit intent: the lease's claim on the tag lasts as long as the lease.
                writers.extend(tagKey(j.get()), leaseId, j.get().leaseExpiresAt(), clock.millis());
            }
            workerLoad.renewed(j.get().workerId(), leaseId, r.bytesDone());
            LinkQuotas.Grant grant = quotas.renewed(j.get(), r.bytesStreamed());
            return Future.succeededFuture(new LeaseProtocol.RenewResponse(ttl, grant.bandwidth(), grant.renewMillis()));
        });
    }

    /**
     * The three-way rule for the tag write this lease is about to make: the policy's
     * onConflict and immutableTags, what the target holds now (the worker looked), and what
     * Ferry last wrote there (the tag history, which outlives jobs).
     */
    @Override
    public Future<LeaseProtocol.CommitDecision> commitIntent(String leaseId, LeaseProtocol.CommitIntent request) {
        return onLease(leaseId, request, LeaseChecks::commitIntent, (key, intent) -> decide(key, leaseId, intent));
    }

    private Future<LeaseProtocol.CommitDecision> decide(JobKey key, String leaseId, LeaseProtocol.CommitIntent intent) {
        return jobs.get(key)
                .compose(found -> {
                    if (found.isEmpty()
                            || !leaseId.equals(found.get().leaseId())
                            || found.get().spec() == null) {
                        return Future.failedFuture(ApiException.leaseLost(leaseId));
                    }
                    Job job = found.get();
                    Optional<Policy> policy = schedule.current().policy(job.policy());
                    boolean rollback = JobKind.of(job.policy()).restores();
                    // An operator's rollback overwrites by design. A policy removed by a reload while its
                    // job ran: refuse rather than guess.
                    String onConflict = rollback
                            ? "overwrite"
                            : policy.map(p -> p.onConflict().yamlName()).orElse("fail");
                    boolean immutable = !rollback
                            && policy.map(p -> ConflictRule.immutable(p.immutableTags(), intent.tag()))
                                    .orElse(true);
                    LeaseProtocol.Endpoint target = job.spec().target();
                    String tag = TagWriters.key(target.registry(), target.repository(), intent.tag());
                    // One writer per tag, cluster-wide: the claim holds until this lease completes or runs out.
                    return writers.claim(tag, job.id(), leaseId, job.leaseExpiresAt(), clock.millis())
                            .compose(holder -> {
                                if (holder.isPresent()) {
                                    return Future.failedFuture(tagBusy(target, intent.tag(), holder.get()));
                                }
                                return history.lastWritten(target.registry(), target.repository(), intent.tag())
                                        .compose(last -> jobs.commitIntent(
                                                key,
                                                leaseId,
                                                intent.fencingToken(),
                                                intent.tag(),
                                                intent.digest(),
                                                intent.current(),
                                                last,
                                                onConflict,
                                                immutable))
                                        .andThen(ar -> {
                                            if (ar.failed()
                                                    || ar.result().isEmpty()
                                                    || !ar.result().get().allowed()) {
                                                writers.release(tag, leaseId);
                                            }
                                        });
                            });
                })
                .compose(decision -> decision.isPresent()
                        ? Future.succeededFuture(decision.get())
                        : Future.failedFuture(ApiException.leaseLost(leaseId)));
    }

    @Override
    public Future<Void> complete(String leaseId, LeaseProtocol.Completion request) {
        return onLease(leaseId, request, LeaseChecks::completion, (key, c) -> settle(key, leaseId, c));
    }

    private Future<Void> settle(JobKey key, String leaseId, LeaseProtocol.Completion c) {
        quotas.released(leaseId, c.bytesCopied());
        Outcome outcome = outcomeOf(c);
        return jobs.complete(key, leaseId, c.fencingToken(), outcome, c.error(), c.temporary(), holdOf(c))
                .compose(j -> settled(j, leaseId, outcome, c));
    }

    /**
     * Checks each item as {@link #complete} would; the items that pass go to the job store
     * together, as one grouped write. Every item is answered, in order.
     */
    @Override
    public Future<List<LeaseProtocol.CompletionResult>> completeAll(List<LeaseProtocol.CompletionItem> items) {
        try {
            LeaseChecks.completionBatch(items);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        completions.batch(items.size());
        List<Future<LeaseProtocol.CompletionResult>> results = new ArrayList<>(items.size());
        List<JobStore.Completing> toApply = new ArrayList<>();
        List<LeaseProtocol.CompletionItem> applied = new ArrayList<>();
        List<Integer> appliedAt = new ArrayList<>();
        for (LeaseProtocol.CompletionItem raw : items) {
            String leaseId = raw == null ? null : raw.leaseId();
            try {
                LeaseProtocol.CompletionItem item = LeaseChecks.completionItem(raw);
                JobKey key = keyOf(item.leaseId());
                if (key == null) {
                    throw ApiException.leaseLost(item.leaseId());
                }
                LeaseProtocol.Completion c = item.completion();
                quotas.released(item.leaseId(), c.bytesCopied());
                toApply.add(new JobStore.Completing(
                        key, item.leaseId(), c.fencingToken(), outcomeOf(c), c.error(), c.temporary(), holdOf(c)));
                applied.add(item);
                appliedAt.add(results.size());
                results.add(null);
            } catch (ApiException e) {
                results.add(Future.succeededFuture(refused(leaseId, e)));
            }
        }
        List<Future<Optional<Job>>> written = jobs.completeAll(toApply);
        List<Future<Job>> acknowledged = new ArrayList<>(written.size());
        for (int i = 0; i < written.size(); i++) {
            LeaseProtocol.CompletionItem item = applied.get(i);
            LeaseProtocol.Completion c = item.completion();
            acknowledged.add(written.get(i).compose(j -> acknowledge(j, item.leaseId(), outcomeOf(c), c)));
        }
        // What the accepted items leave behind is recorded together (one grouped history write).
        Future<Void> recorded = Future.join(acknowledged)
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture())
                .compose(v -> {
                    List<Completions.Settled> settled = new ArrayList<>();
                    for (int i = 0; i < acknowledged.size(); i++) {
                        if (acknowledged.get(i).succeeded()) {
                            settled.add(new Completions.Settled(
                                    acknowledged.get(i).result(), applied.get(i).completion()));
                        }
                    }
                    return completions.recordAll(settled);
                });
        for (int i = 0; i < acknowledged.size(); i++) {
            String leaseId = applied.get(i).leaseId();
            Future<Job> ack = acknowledged.get(i);
            results.set(
                    appliedAt.get(i),
                    recorded.transform(rec -> Future.succeededFuture(
                            ack.failed()
                                    ? refused(leaseId, ack.cause())
                                    : rec.succeeded()
                                            ? LeaseProtocol.CompletionResult.recorded(leaseId)
                                            : refused(leaseId, rec.cause()))));
        }
        return Future.all(results).map(all -> all.<LeaseProtocol.CompletionResult>list());
    }

    /** A batch item's refusal, as the single call would have answered it. */
    private static LeaseProtocol.CompletionResult refused(String leaseId, Throwable failure) {
        if (failure instanceof ApiException e) {
            return new LeaseProtocol.CompletionResult(leaseId, e.status(), e.code(), e.getMessage());
        }
        LOG.warn("completion of lease {} in a batch failed", leaseId, failure);
        return new LeaseProtocol.CompletionResult(
                leaseId, 500, "internal", "internal error; the coordinator logged it with lease " + leaseId);
    }

    /** What follows the {@code Complete} processor's answer: the tag claim, counts, log, and the records. */
    private Future<Void> settled(Optional<Job> j, String leaseId, Outcome outcome, LeaseProtocol.Completion c) {
        return acknowledge(j, leaseId, outcome, c).compose(done -> completions.record(done, c));
    }

    /** The job the processor settled, its tag claim released, counted and logged; a lost lease when it did not. */
    private Future<Job> acknowledge(Optional<Job> j, String leaseId, Outcome outcome, LeaseProtocol.Completion c) {
        if (j.isEmpty()) {
            return Future.failedFuture(ApiException.leaseLost(leaseId));
        }
        Job done = j.get();
        if (done.intentDigest() != null && tagKey(done) != null) {
            writers.release(tagKey(done), leaseId);
        }
        workerLoad.ended(done.workerId(), leaseId);
        completions.count(done, outcome, c);
        done.log(LOG)
                .info(
                        "{} by worker {} (lease {}){}",
                        c.outcome(),
                        done.workerId(),
                        leaseId,
                        c.error() == null ? "" : ": " + c.error());
        return Future.succeededFuture(done);
    }

    /** LeaseChecks let only the wire names of outcomes through. */
    private static Outcome outcomeOf(LeaseProtocol.Completion c) {
        return Outcome.parse(c.outcome()).orElseThrow();
    }

    private static long holdOf(LeaseProtocol.Completion c) {
        return c.holdMillis() == null ? 0 : c.holdMillis();
    }

    /** Another lease is writing the tag now: a temporary refusal, so the job is retried later. */
    private static ApiException tagBusy(LeaseProtocol.Endpoint target, String tag, String holder) {
        return new ApiException(
                503,
                "tag_busy",
                "tag " + target.registry() + "/" + target.repository() + ":" + tag + " is being written by job "
                        + holder + "; this job writes nothing now and is retried later");
    }

    /** The target tag a job writes, as {@link TagWriters} keys it; null for a job without a target. */
    private static String tagKey(Job j) {
        LeaseProtocol.Endpoint t = j.spec() == null ? null : j.spec().target();
        return t == null ? null : TagWriters.key(t.registry(), t.repository(), j.tag());
    }

    /**
     * Checks a request on a lease with {@code check}, finds the job key in the lease id, then
     * makes the call: a bad request is a 400 and an id that is not one of ours a lost lease.
     */
    private static <R, T> Future<T> onLease(
            String leaseId, R request, UnaryOperator<R> check, BiFunction<JobKey, R, Future<T>> call) {
        R checked;
        try {
            checked = check.apply(request);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        JobKey key = keyOf(leaseId);
        return key == null ? Future.failedFuture(ApiException.leaseLost(leaseId)) : call.apply(key, checked);
    }

    /** The job key inside a lease id, or null for an id that is not one of ours. */
    private static JobKey keyOf(String leaseId) {
        try {
            return LeaseIds.keyOf(leaseId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
