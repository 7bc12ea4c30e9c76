package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.hz.Quorum;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every error leaves as {@code {"error": {"code", "message"}}}.
 * {@link ApiException}s carry their own status, code and message (written for people, free
 * of secrets). Anything else is a 500 whose message is generic plus a reference that finds
 * the logged exception: exception text may hold URLs, tokens or paths, so it is only logged.
 */
final class ErrorReplies implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

    /** Codes and messages for failures that carry only a status (router and body handler). */
    private static final Map<Integer, ApiError> BY_STATUS = Map.of(
            400, new ApiError("bad_request", "bad request"),
            401, new ApiError("unauthorized", "authentication required"),
            403, new ApiError("forbidden", "not allowed"),
            404, new ApiError("not_found", "no such endpoint"),
            405, new ApiError("method_not_allowed", "method not allowed on this endpoint"),
            413,
                    new ApiError(
                            "payload_too_large",
                            "request body is larger than " + RouteSetup.BODY_LIMIT_BYTES + " bytes"),
            415, new ApiError("unsupported_media_type", "unsupported content type"));

    record ApiError(String code, String message) {}

    private record Envelope(ApiError error) {}

    /** The error body for answers written outside a route ({@link InvalidRequests}). */
    static io.vertx.core.buffer.Buffer body(String code, String message) {
        return ApiJson.encode(new Envelope(new ApiError(code, message)));
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        ApiError error;
        if (failure instanceof ApiException e) {
            status = e.status();
            error = new ApiError(e.code(), e.getMessage());
            if (status >= 500) {
                LOG.warn(
                        "{} {} -> {} {}: {}",
                        ctx.request().method(),
                        ctx.request().path(),
                        status,
                        e.code(),
                        e.getMessage());
            }
        } else if (Quorum.lost(failure)) {
            // Not a fault of this member: it is on the minority side of a network split.
            status = 503;
            error = new ApiError(
                    "no_quorum",
                    "this coordinator member cannot see a majority of its cluster (a network"
                            + " split); nothing was changed. Ask a member on the majority side, or retry once the network heals");
            LOG.warn(
                    "{} {} -> 503 no_quorum: this member is on the minority side of a split",
                    ctx.request().method(),
                    ctx.request().path());
        } else if (isClientError(webStatus(failure, ctx))) {
            status = webStatus(failure, ctx);
            error = BY_STATUS.getOrDefault(
                    status, new ApiError("bad_request", "request refused (HTTP " + status + ")"));
        } else {
            status = 500;
            String ref = UUID.randomUUID().toString().substring(0, 8);
            LOG.error(
                    "{} {} failed (ref {}, status {})",
                    ctx.request().method(),
                    ctx.request().path(),
                    ref,
                    ctx.statusCode(),
                    failure);
            error = new ApiError("internal", "internal error; the coordinator log has the details under ref " + ref);
        }
        Replies.json(ctx, status, new Envelope(error));
    }

    /** The status Vert.x Web set (no route, wrong method, body too large, ...), or -1. */
    private static int webStatus(Throwable failure, RoutingContext ctx) {
        return failure instanceof HttpException e ? e.getStatusCode() : ctx.statusCode();
    }

    private static boolean isClientError(int status) {
        return status >= 400 && status < 500;
    }
}
