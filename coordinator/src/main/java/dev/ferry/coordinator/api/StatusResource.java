package dev.ferry.coordinator.api;

import dev.ferry.coordinator.security.Access;
import dev.ferry.coordinator.status.StatusService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/status}: the cluster at a glance. */
final class StatusResource implements ApiResource {

    private final StatusService service;
    private final RouteSetup setup;

    StatusResource(StatusService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/status", Access.VIEWER, this::status);
    }

    private void status(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.status(), 200);
    }
}
