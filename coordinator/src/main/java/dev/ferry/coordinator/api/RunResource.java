package dev.ferry.coordinator.api;

import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/runs/{id}}: one sync run and its job counts. */
final class RunResource implements ApiResource {

    private final RunService service;
    private final RouteSetup setup;

    RunResource(RunService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/runs/:id", Access.VIEWER, this::get);
        setup.post(router, "/v1/runs/:id/cancel", Access.OPERATOR, this::cancel);
    }

    private void cancel(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.cancelRun(ctx.pathParam("id"), Actors.of(ctx)), 200);
    }

    private void get(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.run(ctx.pathParam("id")), 200);
    }
}
