package dev.ferry.coordinator.api;

import dev.ferry.coordinator.event.EventIntake;
import dev.ferry.coordinator.event.WebhookAuth;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/events/registry}: a registry's notifications. The route is {@link Access#WEBHOOK}:
 * API token auth lets it through, and the registry's own webhook secret is checked by the service.
 */
final class EventResource implements ApiResource {

    private final EventIntake service;
    private final RouteSetup setup;

    EventResource(EventIntake service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.post(router, "/v1/events/registry", Access.WEBHOOK, this::receive);
    }

    private void receive(RoutingContext ctx) {
        Query.of(ctx);
        String secret = WebhookAuth.bearer(ctx.request().getHeader("Authorization"));
        byte[] body =
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        Replies.json(ctx, service.receive(secret, body), 200);
    }
}
