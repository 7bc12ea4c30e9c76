package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.log.JobLog;
import dev.ferry.worker.copy.Throttle;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * Renews one lease every TTL/3 (or as often as the coordinator asks) while its copy runs,
 * reporting the bytes done and streamed, and sets the lease's throttle to the bandwidth
 * share the coordinator sends back. A 409 means the lease is lost: it stops and
 * tells its owner. Other failures are logged and retried at the next tick; if they last
 * past the TTL the coordinator re-queues the job and the fenced commit-intent refuses us.
 * Timers are one-shot and re-armed after each answer, so renewals never overlap.
 */
final class LeaseRenewer {

    static final long MIN_INTERVAL_MILLIS = 50;
    /** When a lease names no TTL. */
    static final long DEFAULT_INTERVAL_MILLIS = 10_000;

    private final Vertx vertx;
    private final LeaseChannel client;
    private final String leaseId;
    private final LongSupplier bytesDone;
    private final Runnable onLost;
    private final Throttle throttle;
    private final JobLog log;
    private volatile long ttlMillis;
    private volatile long renewMillis;
    private volatile boolean stopped;
    private volatile long timerId = -1;
    private volatile int renewals;

    LeaseRenewer(
            Vertx vertx,
            LeaseChannel client,
            String leaseId,
            long ttlMillis,
            long renewMillis,
            Throttle throttle,
            LongSupplier bytesDone,
            Runnable onLost,
            JobLog log) {
        this.vertx = vertx;
        this.log = log;
        this.client = client;
        this.leaseId = leaseId;
        this.ttlMillis = ttlMillis;
        this.renewMillis = renewMillis;
        this.throttle = throttle;
        this.bytesDone = bytesDone;
        this.onLost = onLost;
    }

    /** Arms the first renewal; call on the job's context, where the renewals then run. */
    void start() {
        schedule();
    }

    void stop() {
        stopped = true;
        long id = timerId;
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    /** Bytes per second this lease may use, as of the last renewal; 0 means unlimited. */
    long bandwidth() {
        return throttle.rate();
    }

    int renewals() {
        return renewals;
    }

    private void schedule() {
        if (stopped) {
            return;
        }
        long interval = renewMillis > 0
                ? Math.max(MIN_INTERVAL_MILLIS, renewMillis)
                : ttlMillis > 0 ? Math.max(MIN_INTERVAL_MILLIS, ttlMillis / 3) : DEFAULT_INTERVAL_MILLIS;
        timerId = vertx.setTimer(interval, id -> renew());
    }

    private void renew() {
        if (stopped) {
            return;
        }
        client.renew(leaseId, new RenewRequest(bytesDone.getAsLong(), throttle.bytes()))
                .onComplete(ar -> {
                    if (stopped) {
                        return;
                    }
                    if (ar.succeeded()) {
                        renewals++;
                        if (ar.result().ttlMillis() > 0) {
                            ttlMillis = ar.result().ttlMillis();
                        }
                        renewMillis = ar.result().renewMillis();
                        throttle.rate(ar.result().bandwidth());
                        schedule();
                    } else if (ar.cause() instanceof LeaseLostException) {
                        log.warn("lease {} lost: {}", leaseId, ar.cause().getMessage());
                        stopped = true;
                        onLost.run();
                    } else {
                        log.warn(
                                "lease {}: renewal failed, retrying at the next tick: {}",
                                leaseId,
                                ar.cause().getMessage());
                        schedule();
                    }
                });
    }
}
