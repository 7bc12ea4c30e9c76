package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Builds leases and jobs for tests, and waits on Futures from a test thread (never an event loop). */
final class Jobs {

    private Jobs() {}

    static Endpoint layout(String name, Path dir, String reference) {
        return new Endpoint(name, "oci:" + dir, "", reference, null);
    }

    static Endpoint registry(String name, String url, String repository, String reference, CredentialsRef creds) {
        return new Endpoint(name, url, repository, reference, creds);
    }

    static JobSpec job(Endpoint source, Endpoint target, String... platforms) {
        return new JobSpec("apps", "run-1", "normal", source, target, List.of(platforms), false);
    }

    static Lease lease(String leaseId, long fencingToken, long ttlMillis, JobSpec job) {
        return new Lease(leaseId, "job-" + leaseId, fencingToken, ttlMillis, 0, job);
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }
}
