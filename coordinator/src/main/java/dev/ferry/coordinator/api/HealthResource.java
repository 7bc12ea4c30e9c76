package dev.ferry.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.coordinator.audit.LedgerHealth;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.security.Access;
import dev.ferry.coordinator.status.StatusService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Kubernetes probes: liveness says the event loop answers; readiness asks the service, and
 * says how this member's audit ledger file is (a break there leaves the member ready).
 */
final class HealthResource implements ApiResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(String status, LedgerHealth auditLedger) {}

    private final StatusService service;
    private final RouteSetup setup;
    private final Supplier<LedgerHealth> ledger;

    HealthResource(StatusService service, RouteSetup setup, Supplier<LedgerHealth> ledger) {
        this.service = service;
        this.setup = setup;
        this.ledger = ledger;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/health/live", Access.PUBLIC, this::live);
        setup.get(router, "/health/ready", Access.PUBLIC, this::ready);
    }

    private void live(RoutingContext ctx) {
        Query.of(ctx);
        Replies.json(ctx, 200, new Health("live", null));
    }

    private void ready(RoutingContext ctx) {
        Query.of(ctx);
        if (!service.ready()) {
            throw ApiException.unavailable(
                    "coordinator is not ready: it has not joined the cluster or has no" + " valid schedule loaded");
        }
        Replies.json(ctx, 200, new Health("ready", ledger.get()));
    }
}
