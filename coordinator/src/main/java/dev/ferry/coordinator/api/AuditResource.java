package dev.ferry.coordinator.api;

import dev.ferry.coordinator.audit.AuditReader;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/audit?since=SEQ&limit=N}: the ledger as stored, one entry per line
 * ({@code application/x-ndjson}), so the answer can be verified or shipped as it is.
 */
final class AuditResource implements ApiResource {

    static final String CONTENT_TYPE = "application/x-ndjson";
    static final int MAX_LIMIT = 100_000;

    private final AuditReader reader;
    private final RouteSetup setup;

    AuditResource(AuditReader reader, RouteSetup setup) {
        this.reader = reader;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/audit", Access.ADMIN, this::list);
    }

    private void list(RoutingContext ctx) {
        Query query = Query.of(ctx, "since", "limit");
        int since = query.integer("since", 0, Integer.MAX_VALUE, 1);
        int limit = query.integer("limit", 1, MAX_LIMIT, 10_000);
        reader.read(since, limit).onComplete(ar -> {
            if (ar.failed()) {
                Replies.fail(ctx, ar.cause());
                return;
            }
            if (Replies.gone(ctx)) {
                return;
            }
            StringBuilder out = new StringBuilder();
            ar.result().forEach(line -> out.append(line).append('\n'));
            ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(out.toString());
        });
    }
}
