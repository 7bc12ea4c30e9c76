package dev.ferry.coordinator.api;

import dev.ferry.coordinator.service.ApiException;
import dev.ferry.coordinator.service.CoordinatorService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Kubernetes probes: liveness says the event loop answers; readiness asks the service. */
final class HealthResource implements ApiResource {

  record Health(String status) {}

  private final CoordinatorService service;
  private final RouteSetup setup;

  HealthResource(CoordinatorService service, RouteSetup setup) {
    this.service = service;
    this.setup = setup;
  }

  @Override
  public void addRoutes(Router router) {
    setup.get(router, "/health/live", Access.PUBLIC, this::live);
    setup.get(router, "/health/ready", Access.PUBLIC, this::ready);
  }

  private void live(RoutingContext ctx) {
    Query.of(ctx);
    Replies.json(ctx, 200, new Health("live"));
  }

  private void ready(RoutingContext ctx) {
    Query.of(ctx);
    if (!service.ready()) {
      throw ApiException.unavailable("coordinator is not ready: it has not joined the cluster or has no"
          + " valid schedule loaded");
    }
    Replies.json(ctx, 200, new Health("ready"));
  }
}
