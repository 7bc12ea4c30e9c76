package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.history.HistoryService;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** {@code GET /v1/history}: the tag writes Ferry made to a target repository or tag. */
final class HistoryResource implements ApiResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final HistoryService service;
    private final RouteSetup setup;

    HistoryResource(HistoryService service, RouteSetup setup) {
        this.service = service;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/history", Access.VIEWER, this::list);
    }

    private void list(RoutingContext ctx) {
        Query query = Query.of(ctx, "registry", "repository", "tag", "limit");
        String registry = query.text("registry");
        String repository = query.text("repository");
        if (registry == null || repository == null) {
            throw ApiException.badRequest(
                    "query parameters \"registry\" and \"repository\" are required" + " (\"tag\" narrows to one tag)");
        }
        int limit = query.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        Replies.json(
                ctx,
                service.history(registry, repository, query.text("tag"), limit).map(writes -> Map.of("writes", writes)),
                200);
    }
}
