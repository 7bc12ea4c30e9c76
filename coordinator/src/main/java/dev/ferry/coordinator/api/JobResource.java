package dev.ferry.coordinator.api;

import dev.ferry.config.model.Tier;
import dev.ferry.coordinator.run.RunService;
import dev.ferry.coordinator.run.RunViews;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code GET /v1/jobs}: jobs filtered by state, policy and tier. */
final class JobResource implements ApiResource {

    /** The API names of job states, in life order. */
    static final List<String> STATES =
            List.of("queued", "leased", "succeeded", "failed", "conflict", "rejected", "held", "cancelled");

    static final List<String> TIERS = Tier.yamlNames();
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final RunService service;
    private final RouteSetup setup;

    JobResource(RunService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/jobs", Access.VIEWER, this::list);
    }

    private void list(RoutingContext ctx) {
        Query query = Query.of(ctx, "state", "policy", "tier", "limit");
        RunViews.JobQuery jobQuery = new RunViews.JobQuery(
                query.oneOf("state", STATES),
                query.text("policy"),
                query.oneOf("tier", TIERS),
                query.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT));
        Replies.json(ctx, service.jobs(jobQuery), 200);
    }
}
