package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CompletionItem;
import dev.ferry.common.lease.LeaseProtocol.CompletionResult;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.LeaseResponse;
import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.lease.LeaseProtocol.RenewResponse;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * How a worker speaks the lease protocol ({@link dev.ferry.common.lease.LeaseProtocol}) to a
 * coordinator: {@link LeaseClient} over HTTP JSON, or, in {@code ferry standalone}, direct
 * calls into the coordinator of the same JVM. Either way the coordinator validates and fences
 * the same: a lease that is no longer held fails with {@link LeaseLostException}, any other
 * refusal or error with a {@link CoordinatorException} whose {@code isTemporary()} says whether
 * to try again. Results are delivered on the caller's Vert.x context.
 */
public interface LeaseChannel extends AutoCloseable {

    /** A long poll for leases: empty when none came within {@code request.waitSeconds()}. */
    Future<Optional<LeaseResponse>> lease(String workerId, LeaseRequest request);

    Future<RenewResponse> renew(String leaseId, RenewRequest request);

    Future<CommitDecision> commitIntent(String leaseId, CommitIntent intent);

    Future<Void> complete(String leaseId, Completion completion);

    /**
     * Several completions in one call, answered per item in the order given: an item refused
     * (a stale token, say) refuses only itself. Only where {@link #batchesCompletions()}; a
     * channel without a batch path fails here with a non-temporary 404.
     */
    default Future<List<CompletionResult>> completeAll(List<CompletionItem> items) {
        return Future.failedFuture(
                new CoordinatorException(404, "not_found", describe() + " offers no batch path for completions", null));
    }

    /**
     * Whether completions finishing close together are better sent as one {@link #completeAll}
     * (over a network, yes; in the same process the job store groups them anyway).
     */
    default boolean batchesCompletions() {
        return false;
    }

    /** Where the coordinator is, for logs: its URL, or that it is in this process. */
    String describe();

    @Override
    void close();
}
