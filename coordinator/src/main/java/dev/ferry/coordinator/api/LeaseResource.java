package dev.ferry.coordinator.api;

import static dev.ferry.coordinator.lease.LeaseChecks.MAX_BATCH_COMPLETIONS;
import static dev.ferry.coordinator.lease.LeaseChecks.MAX_CAPACITY;
import static dev.ferry.coordinator.lease.LeaseChecks.MAX_HOLD_MILLIS;
import static dev.ferry.coordinator.lease.LeaseChecks.MAX_WAIT_SECONDS;
import static dev.ferry.coordinator.lease.LeaseChecks.OUTCOMES;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.lease.LeaseChecks;
import dev.ferry.coordinator.lease.Leases;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The lease protocol workers speak (see {@link LeaseProtocol}) over HTTP: bodies are parsed
 * here (with {@link LeaseChecks}' bounds), and {@link Leases} checks them as it checks the
 * in-process worker's calls.
 */
final class LeaseResource implements ApiResource {

    private final Leases service;
    private final RouteSetup setup;

    LeaseResource(Leases service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.post(router, "/v1/workers/:id/leases", Access.WORKER, this::lease);
        setup.post(router, "/v1/leases/:id/renew", Access.WORKER, this::renew);
        setup.post(router, "/v1/leases/:id/commit-intent", Access.WORKER, this::commitIntent);
        setup.post(router, "/v1/leases/:id/complete", Access.WORKER, this::complete);
        setup.post(router, "/v1/leases/completions", Access.WORKER, this::completeAll);
    }

    /** A long poll: the service's future completes when jobs are leased or the wait is over. */
    private void lease(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        var request = new LeaseProtocol.LeaseRequest(
                body.requiredText("region"),
                (int) body.requiredLong("capacity", 1, MAX_CAPACITY),
                (int) body.optionalLong("waitSeconds", 0, MAX_WAIT_SECONDS, 0),
                body.optionalTextList("openBreakers"));
        service.lease(ctx.pathParam("id"), request).onComplete(ar -> {
            if (ar.failed()) {
                Replies.fail(ctx, ar.cause());
            } else if (ar.result()
                    .filter(r -> r.leases() != null && !r.leases().isEmpty())
                    .isPresent()) {
                Replies.json(ctx, 200, ar.result().get());
            } else {
                Replies.noContent(ctx);
            }
        });
    }

    private void renew(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        var request = new LeaseProtocol.RenewRequest(
                body.requiredLong("bytesDone", 0, Long.MAX_VALUE),
                body.optionalLong("bytesStreamed", 0, Long.MAX_VALUE, 0));
        Replies.json(ctx, service.renew(ctx.pathParam("id"), request), 200);
    }

    private void commitIntent(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        var intent = new LeaseProtocol.CommitIntent(
                body.requiredLong("fencingToken", 0, Long.MAX_VALUE),
                body.requiredText("tag"),
                body.requiredText("digest"),
                body.optionalText("current"));
        Replies.json(ctx, service.commitIntent(ctx.pathParam("id"), intent), 200);
    }

    private void complete(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        Replies.noContent(ctx, service.complete(ctx.pathParam("id"), completion(body)));
    }

    /**
     * Several completions; a malformed item refuses the whole request (400 naming it), while
     * the service answers each well-formed item on its own.
     */
    private void completeAll(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        List<Body> items = body.requiredObjectList("completions", MAX_BATCH_COMPLETIONS);
        List<LeaseProtocol.CompletionItem> parsed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                parsed.add(new LeaseProtocol.CompletionItem(
                        items.get(i).requiredText("leaseId"),
                        completion(items.get(i).requiredObject("completion"))));
            } catch (ApiException e) {
                throw ApiException.badRequest("completions[" + i + "]: " + e.getMessage());
            }
        }
        Replies.json(ctx, service.completeAll(parsed).map(LeaseProtocol.CompletionResults::new), 200);
    }

    private static LeaseProtocol.Completion completion(Body body) {
        return new LeaseProtocol.Completion(
                body.requiredLong("fencingToken", 0, Long.MAX_VALUE),
                body.requiredOneOf("outcome", OUTCOMES),
                body.optionalText("error"),
                body.optionalBoolean("temporary", false),
                holdMillis(body),
                body.optionalText("reason"),
                bytesCopied(body),
                body.optionalText("sourceEndpoint"));
    }

    private static Long bytesCopied(Body body) {
        long bytes = body.optionalLong("bytesCopied", 0, Long.MAX_VALUE, -1);
        return bytes < 0 ? null : bytes;
    }

    /** Null when absent, so "no hold given" and "hold 0" stay apart. */
    private static Long holdMillis(Body body) {
        long hold = body.optionalLong("holdMillis", 0, MAX_HOLD_MILLIS, -1);
        return hold < 0 ? null : hold;
    }
}
