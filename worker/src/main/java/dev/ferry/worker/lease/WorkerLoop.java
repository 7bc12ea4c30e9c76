package dev.ferry.worker.lease;

import dev.ferry.common.image.ImageStore;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.LeaseResponse;
import dev.ferry.common.log.StartupTrace;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.RequestObserver;
import dev.ferry.worker.copy.KnownBlobs;
import dev.ferry.worker.copy.ResumableUploads;
import dev.ferry.worker.resilience.BreakerState;
import dev.ferry.worker.resilience.RegistryGuards;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: long-polls a coordinator for as many leases as it has free slots, runs each
 * leased job in a slot, and drains on request.
 *
 * <p>All of the loop's state lives on one Vert.x context and is touched only there; jobs run
 * on their slots' contexts and report back to it. Nothing blocks an event loop: waits are
 * timers (the 1 s to 30 s backoff when the coordinator is unreachable, the drain grace).
 *
 * <p>Somewhat over 300 lines: polling, slot hand-out and draining share the loop's
 * context-confined state, and keeping them in one class keeps that confinement visible.
 */
public final class WorkerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    static final String DRAINING = "worker draining";
    /** How long a stop waits for completions still being reported. */
    static final long REPORT_GRACE_MILLIS = 5_000;

    private final Vertx vertx;
    private final LeaseChannel client;
    private final WorkerOptions options;
    private final HttpClientAgent http;
    private final JobLocations locations;
    private final KnownBlobs known = new KnownBlobs(10_000);
    /** Upload sessions of broken blob transfers, so a job leased again here resumes them. */
    private final ResumableUploads uploads = new ResumableUploads(64);

    private final CompletionSink reporter;
    private final Backoff backoff;
    private final WorkerCounters counters = new WorkerCounters();
    private final RegistryGuards guards;
    private final WorkerMetrics metrics;

    // Loop-context state.
    private Context context;
    private Slots slots;
    private final Set<JobExecution> unsettled = new LinkedHashSet<>();
    private boolean polling;
    private long pollStarted;
    private long pauseTimer = -1;
    private volatile boolean draining;
    private boolean stopped;
    private Promise<Void> drained;
    private long graceTimer = -1;
    private boolean graceOver;

    /**
     * @param meters where this worker's meters go (jobs, registry requests, breakers): the process's
     *     Prometheus registry, or an empty {@code CompositeMeterRegistry} when it exposes none
     */
    public WorkerLoop(Vertx vertx, LeaseChannel client, WorkerOptions options, MeterRegistry meters) {
        this(
                vertx,
                client,
                options,
                meters,
                CredentialsResolver.fromProcess(),
                RegistryClientOptions.defaults(),
                UnaryOperator.identity());
    }

    /** @param storeDecorator wraps every store a job opens (tests slow or observe copies with it) */
    WorkerLoop(
            Vertx vertx,
            LeaseChannel client,
            WorkerOptions options,
            MeterRegistry meters,
            CredentialsResolver credentials,
            RegistryClientOptions clientOptions,
            UnaryOperator<ImageStore> storeDecorator) {
        this.vertx = vertx;
        this.client = client;
        this.options = options;
        this.http = RegistryClient.newHttpClient(
                vertx, Math.max(8, Math.min(256, options.concurrency() * options.blobConcurrency() * 2)));
        this.guards = RegistryGuards.of(vertx, meters);
        this.locations = new JobLocations(
                vertx,
                http,
                credentials,
                clientOptions,
                options.blobConcurrency(),
                Clock.systemUTC(),
                storeDecorator,
                guards,
                pullBudgetObservers(meters));
        this.metrics = new WorkerMetrics(meters, options.workerId(), counters::active);
        CompletionReporter singles =
                new CompletionReporter(vertx, client, options.backoffMin().toMillis());
        this.reporter = client.batchesCompletions()
                ? new CompletionBatcher(
                        vertx,
                        client,
                        singles,
                        CompletionBatcher.MAX_ITEMS,
                        CompletionBatcher.LINGER_MILLIS,
                        options.backoffMin().toMillis())
                : singles;
        this.backoff = new Backoff(options.backoffMin(), options.backoffMax());
    }

    /** Each registry's requests and announced pull budget, as meters in {@code meters}. */
    private static Function<String, RequestObserver> pullBudgetObservers(MeterRegistry meters) {
        PullBudgetGauges budgets = new PullBudgetGauges(meters);
        return name -> RegistryRequestMeters.of(meters, name, budgets);
    }

    /** Sets up the slots and starts polling; completes once the first poll is under way. */
    public Future<Void> start() {
        if (context != null) {
            return Future.failedFuture(new IllegalStateException("worker " + options.workerId() + " already started"));
        }
        context = vertx.getOrCreateContext();
        LOG.info(
                "worker {} in region {}: {} slots, polling {}",
                options.workerId(),
                options.region(),
                options.concurrency(),
                client.describe());
        Promise<Void> started = Promise.promise();
        Slots.start(vertx, options.concurrency())
                .onComplete(ar -> onLoop(() -> {
                    if (ar.failed()) {
                        started.fail(ar.cause());
                        return;
                    }
                    slots = ar.result();
                    pump();
                    started.complete();
                }));
        return started.future();
    }

    /**
     * Stops asking for leases and lets running copies finish within {@code grace}. Copies still
     * running then are handed back ({@code failed}, temporary, "worker draining") so the
     * coordinator re-queues them at once, and their tag writes are refused. Completes when every
     * leased job is settled.
     */
    public Future<Void> drain(Duration grace) {
        if (context == null) {
            return Future.succeededFuture();
        }
        Promise<Void> result = Promise.promise();
        onLoop(() -> {
            if (drained == null) {
                drained = Promise.promise();
                draining = true;
                cancelPause();
                LOG.info("worker {} draining: {} jobs running, grace {}", options.workerId(), unsettled.size(), grace);
                graceTimer = vertx.setTimer(Math.max(1, grace.toMillis()), id -> onLoop(this::graceOver));
                checkDrained();
            }
            drained.future().onComplete(result);
        });
        return result.future();
    }

    /**
     * Stops at once, for tests and shutdown after a drain: no further calls to the coordinator
     * but the completions already settled and waiting for their batch (sent at once, for up to
     * {@link #REPORT_GRACE_MILLIS}; unsettled leases expire and are re-queued), running copies can no longer write a tag,
     * and registry connections are closed.
     */
    public Future<Void> stop() {
        if (context == null) {
            http.close();
            return Future.succeededFuture();
        }
        Promise<Void> result = Promise.promise();
        onLoop(() -> {
            stopped = true;
            draining = true;
            cancelPause();
            for (JobExecution job : new ArrayList<>(unsettled)) {
                job.abandon();
            }
            if (drained != null) {
                drained.tryComplete();
            }
            Future<Void> slotsClosed = slots != null ? slots.close() : Future.succeededFuture();
            // Outcomes already settled but still waiting for their batch go out now, not lost to expiry.
            Future<Void> reported = reporter.close()
                    .timeout(REPORT_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                    .recover(e -> Future.succeededFuture());
            Future.join(slotsClosed, reported)
                    .<Void>mapEmpty()
                    .recover(e -> Future.succeededFuture())
                    .eventually(() -> http.close().recover(e -> Future.succeededFuture()))
                    .onComplete(result);
        });
        return result.future();
    }

    public WorkerStatus status() {
        return counters.snapshot(options.workerId(), draining, options.concurrency());
    }

    /** Jobs leased whose outcome is not settled yet. */
    public int active() {
        return counters.active();
    }

    /** Jobs completed as succeeded. */
    public long completed() {
        return counters.succeeded();
    }

    /** Jobs completed as failed, rejected or conflict (hand-backs on drain are not counted). */
    public long failed() {
        return counters.failedAll();
    }

    /** Jobs reported held: a registry they need was unavailable (its circuit breaker open). */
    public long held() {
        return counters.held();
    }

    /** This worker's circuit breakers, per registry. */
    public RegistryGuards registryGuards() {
        return guards;
    }

    public WorkerOptions options() {
        return options;
    }

    // ---- the loop, on its context ----------------------------------------------------------

    private void pump() {
        if (stopped || draining || polling || pauseTimer >= 0 || slots == null) {
            return;
        }
        int free = slots.free();
        if (free == 0) {
            return;
        }
        polling = true;
        pollStarted = System.nanoTime();
        LeaseRequest request = new LeaseRequest(
                options.region(), Math.min(free, options.concurrency()), options.waitSeconds(), openBreakers());
        client.lease(options.workerId(), request).onComplete(ar -> onLoop(() -> leased(ar)));
    }

    /** Registries whose breaker is open here, reported with each poll. */
    private List<String> openBreakers() {
        return guards.states().entrySet().stream()
                .filter(e -> e.getValue() == BreakerState.OPEN)
                .map(Entry::getKey)
                .sorted()
                .toList();
    }

    private void leased(AsyncResult<Optional<LeaseResponse>> ar) {
        polling = false;
        if (stopped) {
            abandonAll(ar);
            return;
        }
        if (ar.succeeded()) {
            backoff.reset();
            List<Lease> leases = ar.result().map(LeaseResponse::leases).orElse(null);
            if (leases != null) {
                if (!leases.isEmpty()) {
                    StartupTrace.mark("first lease");
                }
                leases.forEach(this::accept);
            }
            if ((leases == null || leases.isEmpty())
                    && elapsedMillis() < options.backoffMin().toMillis()) {
                // An empty answer that did not wait: don't hammer the coordinator.
                pause(options.backoffMin().toMillis());
            }
        } else if (!draining) {
            long delay = backoff.nextDelayMillis();
            LOG.warn(
                    "worker {}: cannot lease from {}: {}; retrying in {} ms",
                    options.workerId(),
                    client.describe(),
                    ar.cause().getMessage(),
                    delay);
            pause(delay);
        }
        pump();
        checkDrained();
    }

    private void accept(Lease lease) {
        JobExecution job = new JobExecution(vertx, client, lease, locations, known, uploads, reporter);
        unsettled.add(job);
        counters.started();
        job.settled().onComplete(ar -> onLoop(() -> settled(job, ar.result())));
        if (draining) {
            job.refuse(DRAINING);
            return;
        }
        Slots.Slot slot = slots.acquire();
        if (slot == null) {
            // The coordinator sent more than we asked for: give the extra back at once.
            job.refuse("worker has no free slot");
            return;
        }
        job.finished()
                .onComplete(ar -> onLoop(() -> {
                    slots.release(slot);
                    pump();
                }));
        slot.context().runOnContext(v -> job.run());
    }

    private void settled(JobExecution job, JobExecution.Outcome outcome) {
        unsettled.remove(job);
        StartupTrace.mark("first job settled");
        counters.settled(outcome);
        metrics.settled(job.lease().job(), outcome, job.result(), job.elapsed());
        checkDrained();
    }

    private void graceOver() {
        graceOver = true;
        if (!unsettled.isEmpty()) {
            LOG.info(
                    "worker {}: drain grace over, handing back {} unfinished jobs",
                    options.workerId(),
                    unsettled.size());
        }
        for (JobExecution job : new ArrayList<>(unsettled)) {
            job.handBack(DRAINING);
        }
        checkDrained();
    }

    /** Drained once every job is settled and no poll is out (or the grace is over: a poll cannot be cancelled). */
    private void checkDrained() {
        if (drained == null || !unsettled.isEmpty() || (polling && !graceOver)) {
            return;
        }
        if (graceTimer >= 0) {
            vertx.cancelTimer(graceTimer);
            graceTimer = -1;
        }
        if (drained.tryComplete()) {
            LOG.info("worker {} drained: {}", options.workerId(), status());
        }
    }

    private void abandonAll(AsyncResult<Optional<LeaseResponse>> ar) {
        if (ar.succeeded()
                && ar.result().isPresent()
                && ar.result().get().leases() != null
                && !ar.result().get().leases().isEmpty()) {
            LOG.warn(
                    "worker {} stopped: {} leases arrived and will expire",
                    options.workerId(),
                    ar.result().get().leases().size());
        }
    }

    private void pause(long millis) {
        cancelPause();
        pauseTimer = vertx.setTimer(
                Math.max(1, millis),
                id -> onLoop(() -> {
                    pauseTimer = -1;
                    pump();
                }));
    }

    private void cancelPause() {
        if (pauseTimer >= 0) {
            vertx.cancelTimer(pauseTimer);
            pauseTimer = -1;
        }
    }

    private long elapsedMillis() {
        return (System.nanoTime() - pollStarted) / 1_000_000;
    }

    private void onLoop(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
