package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.history.HistoryService;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code POST /v1/rollback}, {@code GET /v1/pins}, {@code DELETE /v1/pins/{registry}},
 * {@code GET /v1/drift} and {@code POST /v1/policies/{name}/verify}: putting target tags back,
 * the pins that hold them there, and finding tags that changed behind Ferry's back.
 */
final class RollbackResource implements ApiResource {

    private final HistoryService service;
    private final RouteSetup setup;

    RollbackResource(HistoryService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.post(router, "/v1/rollback", Access.OPERATOR, this::rollback);
        setup.get(router, "/v1/pins", Access.VIEWER, this::pins);
        setup.delete(router, "/v1/pins/:registry", Access.OPERATOR, this::unpin);
        setup.get(router, "/v1/drift", Access.VIEWER, this::drift);
        setup.post(router, "/v1/policies/:name/verify", Access.OPERATOR, this::verify);
    }

    private void drift(RoutingContext ctx) {
        Query query = Query.of(ctx, "policy");
        Replies.json(ctx, service.drift(query.text("policy")).map(drifted -> Map.of("drift", drifted)), 200);
    }

    private void verify(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.checkDrift(ctx.pathParam("name")), 200);
    }

    private void rollback(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        String run = body.optionalText("run");
        String registry = body.optionalText("registry");
        String repository = body.optionalText("repository");
        String tag = body.optionalText("tag");
        String to = body.optionalText("to");
        String at = body.optionalText("at");
        String beforeRun = body.optionalText("beforeRun");
        if (run != null) {
            if (registry != null
                    || repository != null
                    || tag != null
                    || to != null
                    || at != null
                    || beforeRun != null) {
                throw ApiException.badRequest(
                        "give either {\"run\"} or {\"registry\", \"repository\", \"tag\", \"to\"?}," + " not both");
            }
            Replies.json(ctx, service.rollbackRun(run), 202);
            return;
        }
        if (at != null || beforeRun != null) {
            repository(ctx, registry, repository, tag, to, at, beforeRun);
            return;
        }
        if (registry == null || repository == null || tag == null) {
            throw ApiException.badRequest("give {\"registry\", \"repository\", \"tag\"} (and \"to\", a digest, to pick"
                    + " the digest), {\"registry\", \"repository\"} with \"at\" or \"beforeRun\", or {\"run\"}");
        }
        Replies.json(ctx, service.rollbackTag(registry, repository, tag, to), 202);
    }

    /** A whole repository back to a time or to before a run: {@code {registry, repository, at | beforeRun}}. */
    private void repository(
            RoutingContext ctx,
            String registry,
            String repository,
            String tag,
            String to,
            String at,
            String beforeRun) {
        if (tag != null || to != null) {
            throw ApiException.badRequest(
                    "\"at\" and \"beforeRun\" roll back a whole repository: give no \"tag\" or" + " \"to\"");
        }
        if (at != null && beforeRun != null) {
            throw ApiException.badRequest("give \"at\" or \"beforeRun\", not both");
        }
        if (registry == null || repository == null) {
            throw ApiException.badRequest("a repository rollback needs \"registry\" and \"repository\"");
        }
        java.time.Instant when = null;
        if (at != null) {
            try {
                when = java.time.Instant.parse(at);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.badRequest(
                        "field \"at\": \"" + at + "\" is not an ISO-8601 UTC time such as" + " 2026-12-06T07:00:00Z");
            }
        }
        Replies.json(ctx, service.rollbackRepository(registry, repository, when, beforeRun), 202);
    }

    private void pins(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.pins().map(pins -> Map.of("pins", pins)), 200);
    }

    private void unpin(RoutingContext ctx) {
        Query query = Query.of(ctx, "repository", "tag");
        String repository = query.text("repository");
        String tag = query.text("tag");
        if (repository == null || tag == null) {
            throw ApiException.badRequest("query parameters \"repository\" and \"tag\" are required");
        }
        Replies.json(ctx, service.unpin(ctx.pathParam("registry"), repository, tag), 200);
    }
}
