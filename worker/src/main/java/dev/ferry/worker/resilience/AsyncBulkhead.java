package dev.ferry.worker.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A Resilience4j {@link Bulkhead} that never blocks: it is asked without waiting, and a
 * caller who finds it full gets a future that completes, on the caller's context, when a
 * permit is released. Waiters are served in arrival order.
 */
final class AsyncBulkhead {

    private record Waiter(Promise<Void> promise, Context context) {}

    private final Bulkhead bulkhead;
    private final Deque<Waiter> waiters = new ArrayDeque<>();

    AsyncBulkhead(String name, int maxConcurrent) {
        this.bulkhead = Bulkhead.of(name, config(maxConcurrent));
    }

    private static BulkheadConfig config(int maxConcurrent) {
        return BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ZERO)
                .build();
    }

    void resize(int maxConcurrent) {
        if (bulkhead.getBulkheadConfig().getMaxConcurrentCalls() != maxConcurrent) {
            bulkhead.changeConfig(config(maxConcurrent));
            serveWaiters();
        }
    }

    /** Completes when the caller holds a permit; pair it with exactly one {@link #release()}. */
    Future<Void> acquire(Context context) {
        synchronized (waiters) {
            if (waiters.isEmpty() && bulkhead.tryAcquirePermission()) {
                return Future.succeededFuture();
            }
            Promise<Void> p = Promise.promise();
            waiters.addLast(new Waiter(p, context));
            return p.future();
        }
    }

    void release() {
        bulkhead.onComplete();
        serveWaiters();
    }

    int waiting() {
        synchronized (waiters) {
            return waiters.size();
        }
    }

    private void serveWaiters() {
        Deque<Waiter> served = new ArrayDeque<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && bulkhead.tryAcquirePermission()) {
                served.add(waiters.pollFirst());
            }
        }
        served.forEach(w -> w.context().runOnContext(v -> w.promise().complete()));
    }
}
