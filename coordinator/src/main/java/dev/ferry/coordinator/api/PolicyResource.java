package dev.ferry.coordinator.api;

import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Policies: list, sync now (optionally waiting for the run's end), pause and resume. */
final class PolicyResource implements ApiResource {

    private final RunService service;
    private final RouteSetup setup;

    PolicyResource(RunService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/policies", Access.VIEWER, this::list);
        setup.post(router, "/v1/policies/:name/sync", Access.OPERATOR, this::sync);
        setup.post(router, "/v1/policies/:name/pause", Access.OPERATOR, this::pause);
        setup.post(router, "/v1/policies/:name/resume", Access.OPERATOR, this::resume);
    }

    private void list(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.policies(), 200);
    }

    /** 202 while the run goes on; with wait=true, 200 once it ended (the future completes late). */
    private void sync(RoutingContext ctx) {
        boolean wait = Query.of(ctx, "wait").bool("wait", false);
        Replies.json(ctx, service.sync(ctx.pathParam("name"), wait), wait ? 200 : 202);
    }

    private void pause(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.pause(ctx.pathParam("name")), 200);
    }

    private void resume(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.resume(ctx.pathParam("name")), 200);
    }
}
