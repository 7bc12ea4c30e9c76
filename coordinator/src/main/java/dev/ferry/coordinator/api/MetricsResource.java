package dev.ferry.coordinator.api;

import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** {@code GET /metrics}: this member's metrics for Prometheus, like the probes open to scrapers. */
final class MetricsResource implements ApiResource {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> service;
    private final RouteSetup setup;

    MetricsResource(Supplier<String> service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/metrics", Access.PUBLIC, this::scrape);
    }

    private void scrape(RoutingContext ctx) {
        Query.of(ctx);
        // Scraping walks every meter: off the event loop.
        ctx.vertx().executeBlocking(service::get, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(ar.result());
        });
    }
}
