package dev.ferry.coordinator.api;

import dev.ferry.coordinator.security.Access;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * The handler chain every resource route shares: body (POST and PUT only), then the auth hooks
 * (non-public routes only), then the resource's handler.
 */
final class RouteSetup {

    /** Lease and control bodies are a few hundred bytes; anything near this is abuse. */
    static final long BODY_LIMIT_BYTES = 64 * 1024;

    private final List<Handler<RoutingContext>> authHooks;
    private final dev.ferry.coordinator.audit.AuditTrail audit;
    private final BodyHandler bodyHandler = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);

    RouteSetup(List<Handler<RoutingContext>> authHooks) {
        this(authHooks, null);
    }

    /** @param audit where successful operator and admin mutations are recorded; null for nowhere */
    RouteSetup(List<Handler<RoutingContext>> authHooks, dev.ferry.coordinator.audit.AuditTrail audit) {
        this.authHooks = List.copyOf(authHooks);
        this.audit = audit;
    }

    Route get(Router router, String path, Access access, Handler<RoutingContext> handler) {
        return finish(router.get(path), "GET", path, access, handler);
    }

    Route post(Router router, String path, Access access, Handler<RoutingContext> handler) {
        return finish(
                router.post(path).handler(bodyHandler).handler(RequestGuard::requireJsonBody),
                "POST",
                path,
                access,
                handler);
    }

    Route put(Router router, String path, Access access, Handler<RoutingContext> handler) {
        return finish(
                router.put(path).handler(bodyHandler).handler(RequestGuard::requireJsonBody),
                "PUT",
                path,
                access,
                handler);
    }

    Route delete(Router router, String path, Access access, Handler<RoutingContext> handler) {
        return finish(router.delete(path), "DELETE", path, access, handler);
    }

    private Route finish(Route route, String method, String path, Access access, Handler<RoutingContext> handler) {
        route.putMetadata(Access.METADATA_KEY, access);
        ApiAudit.mark(route, method, path, access, audit);
        if (access != Access.PUBLIC) {
            authHooks.forEach(route::handler);
        }
        return route.handler(handler);
    }
}
