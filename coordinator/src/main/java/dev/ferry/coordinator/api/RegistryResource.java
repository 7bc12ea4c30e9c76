package dev.ferry.coordinator.api;

import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.health.HealthService;
import dev.ferry.coordinator.health.Manual;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;

/**
 * Registry health and the runbook actions on it: {@code GET /v1/registries},
 * {@code POST /v1/registries/{name}/failover}, {@code /failback}, {@code /drain}, and drills
 * ({@code POST /v1/drills}, {@code GET /v1/drills/{id}}).
 */
final class RegistryResource implements ApiResource {

    /** The longest drill one call may start. */
    static final Duration MAX_DRILL = Duration.ofHours(24);

    private final HealthService service;
    private final RouteSetup setup;

    RegistryResource(HealthService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/registries", Access.VIEWER, this::list);
        setup.post(router, "/v1/registries/:name/failover", Access.OPERATOR, ctx -> takeOut(ctx, Manual.FAILOVER));
        setup.post(router, "/v1/registries/:name/drain", Access.OPERATOR, ctx -> takeOut(ctx, Manual.DRAIN));
        setup.post(router, "/v1/registries/:name/failback", Access.OPERATOR, this::failback);
        setup.post(router, "/v1/drills", Access.OPERATOR, this::startDrill);
        setup.get(router, "/v1/drills/:id", Access.VIEWER, this::drill);
    }

    private void list(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.registries().map(all -> Map.of("registries", all)), 200);
    }

    private void takeOut(RoutingContext ctx, String mode) {
        Query.of(ctx);
        String reason = optionalBody(ctx).optionalText("reason");
        Replies.json(ctx, service.takeOut(ctx.pathParam("name"), mode, reason, Actors.of(ctx)), 200);
    }

    private void failback(RoutingContext ctx) {
        boolean force =
                Query.of(ctx, "force").bool("force", false) || optionalBody(ctx).optionalBoolean("force", false);
        Replies.json(ctx, service.failback(ctx.pathParam("name"), force, Actors.of(ctx)), 200);
    }

    private void startDrill(RoutingContext ctx) {
        Query.of(ctx);
        Body body = ApiJson.parseObject(ctx.body().buffer());
        String registry = body.requiredText("registry");
        String text = body.requiredText("duration");
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field \"duration\": " + e.getMessage());
        }
        if (duration.isZero() || duration.compareTo(MAX_DRILL) > 0) {
            throw ApiException.badRequest("field \"duration\" must be more than 0 and at most 24h; got " + text);
        }
        Replies.json(ctx, service.startDrill(registry, duration, Actors.of(ctx)), 202);
    }

    private void drill(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, service.drill(ctx.pathParam("id")), 200);
    }

    /** The body, or an empty object when the request has none. */
    private static Body optionalBody(RoutingContext ctx) {
        var buffer = ctx.body().buffer();
        return buffer == null || buffer.length() == 0
                ? ApiJson.parseObject(io.vertx.core.buffer.Buffer.buffer("{}"))
                : ApiJson.parseObject(buffer);
    }
}
