package dev.ferry.worker.copy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Runs an async task per item with at most {@code limit} in flight. On the first failure
 * no new task starts; the result fails with that first error once the running ones end,
 * so nothing is left writing when the caller reacts.
 */
final class Bounded {

    private Bounded() {}

    static <T> Future<Void> forEach(List<T> items, int limit, Function<T, Future<?>> task) {
        if (items.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        State<T> state = new State<>(items.iterator(), task, done);
        int workers = Math.min(limit, items.size());
        state.running = workers;
        for (int i = 0; i < workers; i++) {
            state.next();
        }
        return done.future();
    }

    private static final class State<T> {
        private final Iterator<T> items;
        private final Function<T, Future<?>> task;
        private final Promise<Void> done;
        private Throwable failure;
        private int running;

        State(Iterator<T> items, Function<T, Future<?>> task, Promise<Void> done) {
            this.items = items;
            this.task = task;
            this.done = done;
        }

        void next() {
            T item;
            synchronized (this) {
                if (failure != null || !items.hasNext()) {
                    if (--running == 0) {
                        finish();
                    }
                    return;
                }
                item = items.next();
            }
            Future<?> f;
            try {
                f = task.apply(item);
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                if (ar.failed()) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = ar.cause();
                        }
                    }
                }
                next();
            });
        }

        private void finish() {
            if (failure != null) {
                done.fail(failure);
            } else {
                done.complete();
            }
        }
    }
}
