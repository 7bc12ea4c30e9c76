package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.Completion;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Reports a job's end, retrying a few times while the coordinator is unreachable or busy.
 * Giving up is safe: the lease then expires and the job is re-queued, and the copy is
 * idempotent (the next attempt finds the target up to date).
 */
final class CompletionReporter implements CompletionSink {

    static final int ATTEMPTS = 3;

    private final Vertx vertx;
    private final LeaseChannel client;
    private final long firstDelayMillis;

    CompletionReporter(Vertx vertx, LeaseChannel client, long firstDelayMillis) {
        this.vertx = vertx;
        this.client = client;
        this.firstDelayMillis = firstDelayMillis;
    }

    @Override
    public Future<Void> complete(String leaseId, Completion completion) {
        Promise<Void> done = Promise.promise();
        attempt(leaseId, completion, 1, firstDelayMillis, done);
        return done.future();
    }

    private void attempt(String leaseId, Completion completion, int attempt, long delay, Promise<Void> done) {
        client.complete(leaseId, completion).onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete();
            } else if (attempt < ATTEMPTS && ar.cause() instanceof CoordinatorException ce && ce.isTemporary()) {
                vertx.setTimer(delay, id -> attempt(leaseId, completion, attempt + 1, delay * 2, done));
            } else {
                done.fail(ar.cause());
            }
        });
    }
}
