package dev.ferry.common.layout;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for futures on the JUnit thread (never an event loop), so tests read top to bottom. */
final class Await {

    private static final long TIMEOUT_SECONDS = 60;

    private Await() {}

    static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success but failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete in " + TIMEOUT_SECONDS + "s", e);
        }
    }

    static Throwable failure(Future<?> future) {
        try {
            Object value = future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure but succeeded with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete in " + TIMEOUT_SECONDS + "s", e);
        }
    }
}
