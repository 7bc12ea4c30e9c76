package dev.ferry.common.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * Puts the first-byte and idle limits of {@link Timeouts} on a response: its headers must
 * arrive within the first-byte timeout, and its (small, buffered) body must not stall for
 * the idle timeout. A request that overruns is reset and fails with a temporary
 * {@link RegistryException} naming the request and the limit. Shared by the registry
 * transport and the token fetch, so every read of Ferry's registry client is bounded the
 * same way; streamed blob bodies use an {@link IdleWatchdog} of their own.
 */
final class BoundedReads {

    private final Timeouts timeouts;

    BoundedReads(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    Timeouts timeouts() {
        return timeouts;
    }

    /**
     * The response to {@code req}, failed (and the request reset) unless its headers arrive
     * within the first-byte timeout from now. Errors other than the timeout pass through as they are.
     *
     * @param what the request and where it went, for the error
     */
    Future<HttpClientResponse> firstByte(HttpClientRequest req, Future<HttpClientResponse> response, String what) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return response;
        }
        Vertx vertx = context.owner();
        Promise<HttpClientResponse> result = Promise.promise();
        long timer = vertx.setTimer(timeouts.firstByte().toMillis(), id -> {
            RegistryException e = firstByteTimeout(what);
            if (result.tryFail(e)) {
                req.reset(0, e);
            }
        });
        response.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                result.tryComplete(ar.result());
            } else {
                result.tryFail(ar.cause());
            }
        });
        return result.future();
    }

    /**
     * Reads a whole (small) body, at most {@code limit} bytes, failing with an idle timeout
     * when no bytes arrive for the idle timeout. Without a Vert.x context (no timers) it reads
     * unwatched. Fails with {@link HttpTransport.BodyTooLargeException} over the limit; other failures are
     * the stream's own.
     */
    Future<Buffer> body(HttpClientResponse resp, int limit, String what) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return read(resp, limit, () -> {});
        }
        Promise<Buffer> result = Promise.promise();
        IdleWatchdog watchdog =
                new IdleWatchdog(context.owner(), timeouts.idle().toMillis(), v -> {
                    RegistryException e = RegistryException.stalledBody(what, idleLimit(), null);
                    if (result.tryFail(e)) {
                        resp.handler(null);
                        resp.endHandler(null);
                        resp.request().reset(0, e);
                    }
                });
        read(resp, limit, watchdog::touch).onComplete(ar -> {
            watchdog.stop();
            if (ar.succeeded()) {
                result.tryComplete(ar.result());
            } else {
                result.tryFail(ar.cause());
            }
        });
        return result.future();
    }

    RegistryException firstByteTimeout(String what) {
        return RegistryException.timeout(
                what,
                "no response headers within " + Timeouts.human(timeouts.firstByte()) + " (first-byte timeout)",
                null);
    }

    RegistryException idleTimeout(String what, Throwable cause) {
        return RegistryException.timeout(what, idleLimit(), cause);
    }

    private String idleLimit() {
        return "no bytes moved for " + Timeouts.human(timeouts.idle()) + " (idle timeout)";
    }

    /** Reads up to {@code limit} bytes, calling {@code onChunk} as each chunk arrives. */
    static Future<Buffer> read(HttpClientResponse resp, int limit, Runnable onChunk) {
        String declared = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    return Future.failedFuture(new HttpTransport.BodyTooLargeException(limit));
                }
            } catch (NumberFormatException ignored) {
                // A bad header: the counting below still bounds it.
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer acc = Buffer.buffer();
        try {
            attach(resp, limit, onChunk, promise, acc);
        } catch (IllegalStateException e) {
            // Vert.x refuses handlers on a response that has already ended: its body is gone.
            return Future.failedFuture(new HttpTransport.BodyAlreadyEndedException(e));
        }
        return promise.future();
    }

    private static void attach(
            HttpClientResponse resp, int limit, Runnable onChunk, Promise<Buffer> promise, Buffer acc) {
        resp.handler(chunk -> {
            onChunk.run();
            if (acc.length() + chunk.length() > limit) {
                resp.handler(null);
                resp.endHandler(null);
                resp.request().reset();
                promise.tryFail(new HttpTransport.BodyTooLargeException(limit));
                return;
            }
            acc.appendBuffer(chunk);
        });
        resp.exceptionHandler(promise::tryFail);
        resp.endHandler(v -> promise.tryComplete(acc));
        resp.resume();
    }
}
