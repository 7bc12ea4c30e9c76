package dev.ferry.coordinator.api;

import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.security.Access;
import dev.ferry.coordinator.security.AdminOps;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;

/** {@code POST /v1/tokens} (mint a short-lived token) and {@code POST /v1/config/reload}: admin only. */
final class AdminResource implements ApiResource {

    private final AdminOps admin;
    private final RouteSetup setup;

    AdminResource(AdminOps admin, RouteSetup setup) {
        this.admin = admin;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.post(router, "/v1/tokens", Access.ADMIN, this::mint);
        setup.post(router, "/v1/config/reload", Access.ADMIN, this::reload);
    }

    private void mint(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        String name = body.requiredText("name");
        String role = body.requiredOneOf("role", List.of("viewer", "operator", "admin", "worker"));
        String ttlText = body.optionalText("ttl");
        Duration ttl;
        try {
            ttl = ttlText == null ? Duration.ofHours(1) : Durations.parse(ttlText);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "field \"ttl\" must be a duration such as 30m or 12h; got \"" + ttlText + "\"");
        }
        Replies.json(ctx, admin.mintToken(Actors.of(ctx), name, role, ttl), 201);
    }

    private void reload(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, admin.reloadConfig(Actors.of(ctx)), 200);
    }
}
