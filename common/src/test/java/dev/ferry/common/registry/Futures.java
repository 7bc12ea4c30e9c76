package dev.ferry.common.registry;

import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Blocks a test thread (never an event loop) on a client Future. */
final class Futures {

    private Futures() {}

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** Reads a (small) stream to its end into memory. */
    static Future<io.vertx.core.buffer.Buffer> collect(
            io.vertx.core.Vertx vertx, io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> stream) {
        io.vertx.core.Promise<io.vertx.core.buffer.Buffer> done = io.vertx.core.Promise.promise();
        io.vertx.core.buffer.Buffer all = io.vertx.core.buffer.Buffer.buffer();
        stream.exceptionHandler(done::tryFail);
        stream.endHandler(v -> done.tryComplete(all));
        stream.handler(all::appendBuffer);
        stream.resume();
        return done.future();
    }

    /** The RegistryException {@code f} fails with; an AssertionError if it succeeds or fails otherwise. */
    static RegistryException failure(Future<?> f) {
        try {
            await(f);
        } catch (RegistryException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a RegistryException, got " + e, e);
        }
        throw new AssertionError("expected a failure, but it succeeded");
    }
}
