package dev.ferry.common.registry;

import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
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
    static Future<Buffer> collect(Vertx vertx, ReadStream<Buffer> stream) {
        Promise<Buffer> done = Promise.promise();
        Buffer all = Buffer.buffer();
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
