package dev.ferry.worker.copy;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Blocks a test thread (never an event loop) on a Future and rethrows its real cause. */
final class Await {

    private Await() {}

    static <T> T result(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }
}
