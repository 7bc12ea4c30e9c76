package dev.ferry.coordinator.api;

import dev.ferry.coordinator.quota.LinkControl;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /v1/links} and {@code PUT /v1/links/{from}/{to}}: link bandwidth quotas, the
 * share each lease on a link holds now, and the rates observed.
 */
final class LinkResource implements ApiResource {

    private final LinkControl service;
    private final RouteSetup setup;

    LinkResource(LinkControl service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/links", Access.VIEWER, this::list);
        setup.put(router, "/v1/links/:from/:to", Access.ADMIN, this::set);
    }

    private void list(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.links().map(links -> Map.of("links", links)), 200);
    }

    private void set(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        String bandwidth = body.requiredText("bandwidth");
        Replies.json(ctx, service.setLink(ctx.pathParam("from"), ctx.pathParam("to"), bandwidth, Actors.of(ctx)), 200);
    }
}
