package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CompletionItem;
import dev.ferry.common.lease.LeaseProtocol.CompletionResult;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends completions that finish close together as one request ({@link LeaseChannel#completeAll}):
 * a batch leaves when {@code maxItems} are waiting or when the first of them has waited
 * {@code lingerMillis}, whichever comes first, so none waits longer than the linger.
 *
 * <p>Each item is answered on its own. A refused item fails only its own report (a lost lease
 * with {@link LeaseLostException}); a temporary refusal of an item, or a temporary failure of
 * the whole request (no answer, 5xx), sends the items again in a later batch, after the same
 * doubling delays and up to the same {@link CompletionReporter#ATTEMPTS} as a single report.
 * Sending twice is safe: the coordinator applies a completion only while its lease and
 * fencing token are current, so a repeat of one it applied is refused as a lost lease and
 * changes nothing. A coordinator without the batch path (404 or 405), or one that refuses a
 * request as a whole (a 400, a 413), gets the items one by one through {@code singles}. An
 * item that is never answered is not lost either: its lease expires and the job is re-queued.
 *
 * <p>All state lives on one Vert.x context; reports are answered on their callers' contexts.
 */
final class CompletionBatcher implements CompletionSink {

    private static final Logger LOG = LoggerFactory.getLogger(CompletionBatcher.class);

    /** Completions per request; at most the coordinator's limit ({@code LeaseChecks.MAX_BATCH_COMPLETIONS}). */
    static final int MAX_ITEMS = 16;
    /** The longest a finished job's report waits for company. */
    static final long LINGER_MILLIS = 20;

    private record Waiting(String leaseId, Completion completion, int attempt, Promise<Void> done, Context caller) {

        Waiting again() {
            return new Waiting(leaseId, completion, attempt + 1, done, caller);
        }

        /** Answers the caller on its own context, then runs {@code then} (so close() sees answered reports). */
        void answer(Throwable failure, Runnable then) {
            caller.runOnContext(v -> {
                if (failure == null) {
                    done.tryComplete();
                } else {
                    done.tryFail(failure);
                }
                then.run();
            });
        }
    }

    private final Vertx vertx;
    private final LeaseChannel channel;
    private final CompletionSink singles;
    private final int maxItems;
    private final long lingerMillis;
    private final long firstDelayMillis;
    private final Context context;

    // Context state.
    private final List<Waiting> pending = new ArrayList<>();
    private long lingerTimer = -1;
    private boolean batchPathMissing;
    private boolean closing;
    private int unanswered;
    private final List<Promise<Void>> whenIdle = new ArrayList<>();

    /**
     * @param singles how items go when the coordinator has no batch path or refuses a batch whole
     * @param firstDelayMillis the delay before the first retry; each further one doubles it
     */
    CompletionBatcher(
            Vertx vertx,
            LeaseChannel channel,
            CompletionSink singles,
            int maxItems,
            long lingerMillis,
            long firstDelayMillis) {
        if (maxItems < 1 || lingerMillis < 1) {
            throw new IllegalArgumentException(
                    "a completion batch needs at least 1 item and 1 ms, got " + maxItems + " and " + lingerMillis);
        }
        this.vertx = vertx;
        this.channel = channel;
        this.singles = singles;
        this.maxItems = maxItems;
        this.lingerMillis = lingerMillis;
        this.firstDelayMillis = firstDelayMillis;
        this.context = vertx.getOrCreateContext();
    }

    @Override
    public Future<Void> complete(String leaseId, Completion completion) {
        Promise<Void> done = Promise.promise();
        Waiting w = new Waiting(leaseId, completion, 1, done, vertx.getOrCreateContext());
        onContext(() -> add(w));
        return done.future();
    }

    /**
     * Sends everything waiting at once, and from now on every report as it comes, without
     * lingering. Completes when every report sent so far is answered (retries included).
     */
    @Override
    public Future<Void> close() {
        Promise<Void> idle = Promise.promise();
        onContext(() -> {
            closing = true;
            flush();
            whenIdle.add(idle);
            checkIdle();
        });
        return idle.future();
    }

    private void add(Waiting w) {
        pending.add(w);
        unanswered++;
        if (closing || pending.size() >= maxItems) {
            flush();
        } else if (lingerTimer < 0) {
            lingerTimer = vertx.setTimer(
                    lingerMillis,
                    id -> onContext(() -> {
                        lingerTimer = -1;
                        flush();
                    }));
        }
    }

    private void flush() {
        if (lingerTimer >= 0) {
            vertx.cancelTimer(lingerTimer);
            lingerTimer = -1;
        }
        while (!pending.isEmpty()) {
            List<Waiting> batch = new ArrayList<>(pending.subList(0, Math.min(maxItems, pending.size())));
            pending.subList(0, batch.size()).clear();
            send(batch);
        }
    }

    private void send(List<Waiting> batch) {
        if (batchPathMissing) {
            batch.forEach(this::sendAlone);
            return;
        }
        List<CompletionItem> items = batch.stream()
                .map(w -> new CompletionItem(w.leaseId(), w.completion()))
                .toList();
        channel.completeAll(items).onComplete(ar -> onContext(() -> answered(batch, ar)));
    }

    private void answered(List<Waiting> batch, AsyncResult<List<CompletionResult>> ar) {
        if (ar.succeeded()) {
            List<CompletionResult> results = ar.result();
            for (int i = 0; i < batch.size(); i++) {
                CompletionResult r = results.get(i);
                settle(batch.get(i), r.recorded() ? null : refusal(batch.get(i), r));
            }
            return;
        }
        Throwable cause = ar.cause();
        if (cause instanceof CoordinatorException ce && ce.isTemporary()) {
            batch.forEach(w -> settle(w, ce));
            return;
        }
        if (cause instanceof CoordinatorException ce && (ce.status() == 404 || ce.status() == 405)) {
            LOG.info("{} has no batch path for completions; sending them one by one", channel.describe());
            batchPathMissing = true;
        } else {
            LOG.warn(
                    "a batch of {} completions was refused as a whole ({}); sending them one by one",
                    batch.size(),
                    cause.getMessage());
        }
        batch.forEach(this::sendAlone);
    }

    private static CoordinatorException refusal(Waiting w, CompletionResult r) {
        String code = r.code() != null ? r.code() : "http_" + r.status();
        String message = "completion of lease " + w.leaseId() + ": HTTP " + r.status()
                + (r.message() != null ? ", " + r.message() : "");
        return r.status() == 409
                ? new LeaseLostException(code, message)
                : new CoordinatorException(r.status(), code, message, null);
    }

    /** Answers the report, or sends it again later when the failure is temporary and attempts remain. */
    private void settle(Waiting w, CoordinatorException failure) {
        if (failure != null
                && failure.isTemporary()
                && w.attempt() < CompletionReporter.ATTEMPTS
                && !(failure instanceof LeaseLostException)) {
            long delay = firstDelayMillis << (w.attempt() - 1);
            vertx.setTimer(
                    Math.max(1, delay),
                    id -> onContext(() -> {
                        unanswered--;
                        add(w.again());
                    }));
            return;
        }
        w.answer(failure, () -> onContext(this::answeredOne));
    }

    private void sendAlone(Waiting w) {
        singles.complete(w.leaseId(), w.completion())
                .onComplete(ar -> onContext(() -> {
                    w.answer(ar.failed() ? ar.cause() : null, () -> onContext(this::answeredOne));
                }));
    }

    private void answeredOne() {
        unanswered--;
        checkIdle();
    }

    private void checkIdle() {
        if (unanswered == 0 && !whenIdle.isEmpty()) {
            whenIdle.forEach(Promise::tryComplete);
            whenIdle.clear();
        }
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
