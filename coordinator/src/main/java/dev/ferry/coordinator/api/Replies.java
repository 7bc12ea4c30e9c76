package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes answers. Long polls and {@code wait=true} answer long after the request came in,
 * so the client may have gone: then the answer is dropped with a debug line, not an error.
 */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {}

    /** Answers {@code status} with the JSON of the future's value, or fails the context. */
    static <T> void json(RoutingContext ctx, Future<T> result, int status) {
        result.compose(v -> ApiAudit.record(ctx, status).map(v)).onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, status, ar.result());
            } else {
                fail(ctx, ar.cause());
            }
        });
    }

    static void json(RoutingContext ctx, int status, Object body) {
        if (gone(ctx)) {
            return;
        }
        Buffer json;
        try {
            json = ApiJson.encode(body);
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, ApiJson.CONTENT_TYPE)
                .end(json)
                .onFailure(e -> LOG.debug(
                        "could not send the answer to {} {}: {}",
                        ctx.request().method(),
                        ctx.request().path(),
                        e.toString()));
    }

    static void noContent(RoutingContext ctx, Future<?> result) {
        result.compose(v -> ApiAudit.record(ctx, 204)).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else {
                noContent(ctx);
            }
        });
    }

    static void noContent(RoutingContext ctx) {
        if (!gone(ctx)) {
            ctx.response().setStatusCode(204).end();
        }
    }

    static void fail(RoutingContext ctx, Throwable cause) {
        if (!gone(ctx)) {
            ctx.fail(cause);
        } else if (!(cause instanceof ApiException)) {
            LOG.warn(
                    "{} {} failed after its client went away",
                    ctx.request().method(),
                    ctx.request().path(),
                    cause);
        }
    }

    /** True when nothing can be sent any more; logs why at debug. */
    static boolean gone(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            LOG.debug(
                    "client of {} {} went away before the answer was ready",
                    ctx.request().method(),
                    ctx.request().path());
            return true;
        }
        return false;
    }
}
