package dev.ferry.coordinator.api;

import dev.ferry.coordinator.health.HealthService;
import dev.ferry.coordinator.health.HostsFiles;
import dev.ferry.coordinator.health.RouteView;
import dev.ferry.coordinator.security.Access;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Function;

/**
 * Routes for consumers: {@code GET /v1/routes}, {@code /v1/routes/{name}} (JSON) and the
 * same route rendered as containerd's {@code hosts.toml} and CRI-O's {@code registries.conf}.
 *
 * <p>A route answer carries an {@code ETag} that changes exactly when the route's choice
 * does. A request with {@code If-None-Match} gets 304 while nothing changed; with
 * {@code ?wait=SECONDS} as well, it is held until the choice changes or the wait is over
 * (a long poll), so nodes learn of a failover within moments without polling hard.
 */
final class RouteResource implements ApiResource {

    static final int MAX_WAIT_SECONDS = 300;

    private final HealthService service;
    private final RouteSetup setup;

    RouteResource(HealthService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/routes", Access.VIEWER, this::list);
        setup.get(router, "/v1/routes/:name", Access.VIEWER, ctx -> one(ctx, "", null));
        setup.get(
                router, "/v1/routes/:name/hosts.toml", Access.VIEWER, ctx -> one(ctx, "-hosts", HostsFiles::hostsToml));
        setup.get(
                router,
                "/v1/routes/:name/registries.conf",
                Access.VIEWER,
                ctx -> one(ctx, "-crio", HostsFiles::registriesConf));
    }

    private void list(RoutingContext ctx) {
        Query q = Query.of(ctx, "team", "workload", "region");
        Replies.json(
                ctx,
                service.routes(q.text("team"), q.text("workload"), q.text("region"))
                        .map(all -> Map.of("routes", all)),
                200);
    }

    /** One route as JSON ({@code render} null) or as a runtime's file; {@code kind} keeps their etags apart. */
    private void one(RoutingContext ctx, String kind, Function<RouteView, String> render) {
        int wait = Query.of(ctx, "wait").integer("wait", 0, MAX_WAIT_SECONDS, 0);
        String given = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        String known = given == null || !given.endsWith(kind + "\"")
                ? null
                : given.substring(0, given.length() - kind.length() - 1) + "\"";
        service.route(ctx.pathParam("name"), known, wait * 1000L).onComplete(ar -> {
            if (ar.failed()) {
                Replies.fail(ctx, ar.cause());
                return;
            }
            if (Replies.gone(ctx)) {
                return;
            }
            RouteView route = ar.result();
            String etag = route.etag().substring(0, route.etag().length() - 1) + kind + "\"";
            ctx.response().putHeader(HttpHeaders.ETAG, etag).putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            if (etag.equals(given)) {
                ctx.response().setStatusCode(304).end();
            } else if (render == null) {
                Replies.json(ctx, 200, route);
            } else {
                ctx.response()
                        .setStatusCode(200)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/toml; charset=utf-8")
                        .end(render.apply(route));
            }
        });
    }
}
