package dev.ferry.coordinator.plan;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Runs at most {@code limit} async calls at once and queues the rest, in order. A queued
 * call starts on the context of whoever queued it, through the event loop, so a long queue
 * of calls that complete at once never deepens the stack.
 */
final class CallLimiter {

    private final Vertx vertx;
    private final int limit;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    CallLimiter(Vertx vertx, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.vertx = vertx;
        this.limit = limit;
    }

    <T> Future<T> run(Supplier<Future<T>> call) {
        Promise<T> result = Promise.promise();
        synchronized (this) {
            if (running >= limit) {
                Context context = vertx.getOrCreateContext();
                waiting.add(() -> context.runOnContext(v -> start(call, result)));
                return result.future();
            }
            running++;
        }
        start(call, result);
        return result.future();
    }

    private <T> void start(Supplier<Future<T>> call, Promise<T> result) {
        Future<T> started;
        try {
            started = call.get();
        } catch (RuntimeException e) {
            started = Future.failedFuture(e);
        }
        started.onComplete(ar -> {
            release();
            result.handle(ar);
        });
    }

    /** Hands the slot to the next queued call, or frees it. */
    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized int running() {
        return running;
    }
}
