package dev.ferry.coordinator.hz;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hazelcast's asynchronous results as Vert.x futures, without a thread per result.
 *
 * <p>A Hazelcast future runs a plain {@code whenComplete} callback on its default executor,
 * which is the common fork-join pool only when that pool has at least two threads. On a
 * two-core machine it has one, and Hazelcast then starts a new thread for every callback:
 * about ten per replicated job, measured. Here the callback runs on the thread that completes
 * the future (a Hazelcast response or partition thread), does nothing but hand the value to
 * the Vert.x context, and every continuation runs there.
 */
public final class HzFutures {

    /** Runs a callback on the completing thread; only for callbacks that just hand a value on. */
    public static final Executor INLINE = Runnable::run;

    private HzFutures() {}

    /** {@code stage}'s outcome, delivered on {@code context}. */
    public static <T> Future<T> on(Context context, CompletionStage<T> stage) {
        Promise<T> promise = Promise.promise();
        stage.whenCompleteAsync(
                (value, failure) -> context.runOnContext(v -> {
                    if (failure != null) {
                        promise.fail(
                                failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause()
                                        : failure);
                    } else {
                        promise.complete(value);
                    }
                }),
                INLINE);
        return promise.future();
    }
}
