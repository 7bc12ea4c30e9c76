package dev.ferry.coordinator.lease;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.LeaseResponse;
import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.lease.LeaseProtocol.RenewResponse;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.worker.lease.CoordinatorException;
import dev.ferry.worker.lease.LeaseChannel;
import dev.ferry.worker.lease.LeaseLostException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease protocol of a worker in the same JVM as its coordinator ({@code ferry standalone}):
 * calls go straight to {@link Leases}, with no HTTP and no JSON, and meet the same
 * {@link LeaseChecks} there as the HTTP API's calls. The service fences as it does for remote workers;
 * its refusals arrive as the HTTP client would report them: a lost lease as
 * {@link LeaseLostException}, any other {@link ApiException} as a {@link CoordinatorException}
 * with its status and code, and an unexpected failure as a temporary 500.
 */
public final class InProcessLeases implements LeaseChannel {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessLeases.class);

    private final Vertx vertx;
    private final Leases service;

    public InProcessLeases(Vertx vertx, Leases service) {
        this.vertx = vertx;
        this.service = service;
    }

    @Override
    public Future<Optional<LeaseResponse>> lease(String workerId, LeaseRequest request) {
        return call(
                "lease poll of worker " + workerId,
                () -> service.lease(workerId, request)
                        .map(got -> got.filter(
                                r -> r.leases() != null && !r.leases().isEmpty())));
    }

    @Override
    public Future<RenewResponse> renew(String leaseId, RenewRequest request) {
        return call("renew of lease " + leaseId, () -> service.renew(leaseId, request));
    }

    @Override
    public Future<CommitDecision> commitIntent(String leaseId, CommitIntent intent) {
        return call("commit-intent of lease " + leaseId, () -> service.commitIntent(leaseId, intent));
    }

    @Override
    public Future<Void> complete(String leaseId, Completion completion) {
        return call("completion of lease " + leaseId, () -> service.complete(leaseId, completion));
    }

    @Override
    public String describe() {
        return "the coordinator in this process";
    }

    @Override
    public void close() {
        // Nothing to release: no connections.
    }

    /** Runs a service call; its outcome is delivered on the caller's context, its failure translated. */
    private <T> Future<T> call(String what, Supplier<Future<T>> call) {
        Context caller = vertx.getOrCreateContext();
        Future<T> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        Promise<T> answer = Promise.promise();
        result.onComplete(ar -> {
            Runnable deliver = () -> {
                if (ar.succeeded()) {
                    answer.complete(ar.result());
                } else {
                    answer.fail(translate(what, ar.cause()));
                }
            };
            if (Vertx.currentContext() == caller) {
                deliver.run();
            } else {
                caller.runOnContext(v -> deliver.run());
            }
        });
        return answer.future();
    }

    static CoordinatorException translate(String what, Throwable failure) {
        if (failure instanceof ApiException e) {
            String message = what + ": " + e.getMessage();
            return e.status() == 409
                    ? new LeaseLostException(e.code(), message)
                    : new CoordinatorException(e.status(), e.code(), message, null);
        }
        LOG.warn("{} failed", what, failure);
        return new CoordinatorException(
                500,
                "internal",
                what + ": internal error (" + failure.getClass().getSimpleName() + "); logged by "
                        + InProcessLeases.class.getSimpleName(),
                failure);
    }
}
