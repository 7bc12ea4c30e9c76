package dev.ferry.coordinator.lease;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's side of the lease protocol, whichever way a worker reaches it (HTTP or
 * in-process). Every request is checked by {@link LeaseChecks} here, so both ways share one
 * rule; a refusal is an {@link ApiException} (400 for a bad request, 409 for a lost lease).
 */
public interface Leases {

    /** A long poll; empty when nothing could be leased within the wait. */
    Future<Optional<LeaseProtocol.LeaseResponse>> lease(String workerId, LeaseProtocol.LeaseRequest request);

    /** Fails with {@link ApiException#leaseLost} when the lease is no longer held. */
    Future<LeaseProtocol.RenewResponse> renew(String leaseId, LeaseProtocol.RenewRequest request);

    Future<LeaseProtocol.CommitDecision> commitIntent(String leaseId, LeaseProtocol.CommitIntent intent);

    Future<Void> complete(String leaseId, LeaseProtocol.Completion completion);

    /**
     * Several completions at once, each checked and fenced as {@link #complete} would, and
     * answered on its own, in order: a refused item (a stale token, a bad field) refuses only
     * itself. Fails as a whole only when the batch itself is malformed (empty or too long).
     */
    Future<List<LeaseProtocol.CompletionResult>> completeAll(List<LeaseProtocol.CompletionItem> items);
}
