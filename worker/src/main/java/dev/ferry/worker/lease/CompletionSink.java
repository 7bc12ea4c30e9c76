package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.Completion;
import io.vertx.core.Future;

/**
 * Where a job's end is reported: one call per completion ({@link CompletionReporter}), or
 * batched with others that finish close together ({@link CompletionBatcher}). Either retries
 * while the coordinator is unreachable; a lost lease fails with {@link LeaseLostException}.
 */
interface CompletionSink {

    Future<Void> complete(String leaseId, Completion completion);

    /** Sends what is waiting now and completes when every report sent is answered. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
