package dev.ferry.coordinator.api;

import dev.ferry.coordinator.preview.PolicyPreview;
import dev.ferry.coordinator.security.Access;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * {@code POST /v1/policies/{name}/plan}: what a sync of the policy would do now, without doing
 * it. A viewer may ask: it reads only (see {@code preview/PlanPreview}). A POST because it
 * makes many registry calls and is not cacheable.
 */
final class PlanResource implements ApiResource {

    private final Function<String, Future<PolicyPreview>> plans;
    private final RouteSetup setup;

    /** @param plans previews a policy by name; fails with a 404 {@code ApiException} for an unknown one */
    PlanResource(Function<String, Future<PolicyPreview>> plans, RouteSetup setup) {
        this.plans = plans;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.post(router, "/v1/policies/:name/plan", Access.VIEWER, this::plan);
    }

    private void plan(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, plans.apply(ctx.pathParam("name")), 200);
    }
}
