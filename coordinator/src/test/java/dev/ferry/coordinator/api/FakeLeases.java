package dev.ferry.coordinator.api;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.lease.Leases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** Lease "l-1" held with fencing token 7; a long poll is answered by the test with {@link #completeLease}. */
final class FakeLeases implements Leases {

    final Set<String> heldLeases = ConcurrentHashMap.newKeySet();
    volatile String lastWorkerId;
    volatile LeaseProtocol.LeaseRequest lastLeaseRequest;
    volatile LeaseProtocol.RenewRequest lastRenew;
    volatile LeaseProtocol.CommitIntent lastIntent;
    volatile LeaseProtocol.Completion lastCompletion;
    private volatile Fakes.Pending<Optional<LeaseProtocol.LeaseResponse>> pendingLease;
    private final CountDownLatch leaseCalled = new CountDownLatch(1);

    FakeLeases() {
        heldLeases.add("l-1");
    }

    @Override
    public Future<Optional<LeaseProtocol.LeaseResponse>> lease(String workerId, LeaseProtocol.LeaseRequest request) {
        lastWorkerId = workerId;
        lastLeaseRequest = request;
        var pending =
                new Fakes.Pending<Optional<LeaseProtocol.LeaseResponse>>(Vertx.currentContext(), Promise.promise());
        pendingLease = pending;
        leaseCalled.countDown();
        return pending.promise().future();
    }

    /** Waits until a worker polls, then answers the poll. */
    void completeLease(Optional<LeaseProtocol.LeaseResponse> answer) throws InterruptedException {
        Fakes.awaitLatch(leaseCalled);
        pendingLease.complete(answer);
    }

    @Override
    public Future<LeaseProtocol.RenewResponse> renew(String leaseId, LeaseProtocol.RenewRequest request) {
        lastRenew = request;
        return heldLeases.contains(leaseId)
                ? Future.succeededFuture(new LeaseProtocol.RenewResponse(30_000, 1_048_576))
                : Future.failedFuture(ApiException.leaseLost(leaseId));
    }

    @Override
    public Future<LeaseProtocol.CommitDecision> commitIntent(String leaseId, LeaseProtocol.CommitIntent intent) {
        lastIntent = intent;
        if (!heldLeases.contains(leaseId) || intent.fencingToken() != 7) {
            return Future.failedFuture(ApiException.leaseLost(leaseId));
        }
        return Future.succeededFuture(new LeaseProtocol.CommitDecision(true, null));
    }

    @Override
    public Future<Void> complete(String leaseId, LeaseProtocol.Completion completion) {
        lastCompletion = completion;
        return heldLeases.remove(leaseId)
                ? Future.succeededFuture()
                : Future.failedFuture(ApiException.leaseLost(leaseId));
    }

    /** Each item as {@link #complete} would answer it. */
    @Override
    public Future<List<LeaseProtocol.CompletionResult>> completeAll(List<LeaseProtocol.CompletionItem> items) {
        List<LeaseProtocol.CompletionResult> results = new ArrayList<>();
        for (LeaseProtocol.CompletionItem item : items) {
            lastCompletion = item.completion();
            results.add(
                    item.completion().fencingToken() == 7 && heldLeases.remove(item.leaseId())
                            ? LeaseProtocol.CompletionResult.recorded(item.leaseId())
                            : new LeaseProtocol.CompletionResult(
                                    item.leaseId(),
                                    409,
                                    "lease_lost",
                                    ApiException.leaseLost(item.leaseId()).getMessage()));
        }
        return Future.succeededFuture(results);
    }

    static LeaseProtocol.LeaseResponse oneLease() {
        var source = new LeaseProtocol.Endpoint(
                "hub-eu",
                "https://registry.eu.example.com",
                "team/api",
                "v1",
                new LeaseProtocol.CredentialsRef("ci", "HUB_EU_PASSWORD", null, null));
        var target =
                new LeaseProtocol.Endpoint("mirror-us", "https://mirror.us.example.com", "mirror/team/api", "v1", null);
        var spec = new LeaseProtocol.JobSpec("apps", "r-2", "high", source, target, List.of(), true);
        return new LeaseProtocol.LeaseResponse(List.of(new LeaseProtocol.Lease("l-9", "j-1", 8, 30_000, 0, spec)));
    }
}
