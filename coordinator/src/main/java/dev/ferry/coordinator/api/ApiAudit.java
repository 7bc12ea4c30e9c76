package dev.ferry.coordinator.api;

import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.security.Access;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records each successful mutating call of an operator or admin route in the audit trail
 * before it is answered. The action is named from the route's path: {@code api.} and its
 * fixed segments after {@code /v1}, plus the method when the path ends in a parameter or has
 * one segment ({@code api.policies.sync}, {@code api.links.put}, {@code api.rollback.post}).
 */
final class ApiAudit {

    static final String ACTION_KEY = "ferry.audit.action";
    static final String TRAIL_KEY = "ferry.audit.trail";

    /** Body fields whose names hold one of these never reach the ledger. */
    private static final List<String> SECRET_WORDS =
            List.of("password", "token", "secret", "key", "sha256", "credential");

    private ApiAudit() {}

    /** Marks {@code route} as audited when its method mutates and its level is operator or admin. */
    static void mark(Route route, String method, String path, Access access, AuditTrail trail) {
        if (trail != null && !method.equals("GET") && (access == Access.OPERATOR || access == Access.ADMIN)) {
            route.putMetadata(ACTION_KEY, actionOf(method, path));
            route.putMetadata(TRAIL_KEY, trail);
        }
    }

    static String actionOf(String method, String path) {
        List<String> segments = List.of(path.replaceFirst("^/v1/", "").split("/"));
        StringBuilder action = new StringBuilder("api");
        segments.stream()
                .filter(s -> !s.startsWith(":") && !s.isEmpty())
                .forEach(s -> action.append('.').append(s));
        if (segments.size() == 1 || segments.get(segments.size() - 1).startsWith(":")) {
            action.append('.').append(method.toLowerCase(Locale.ROOT));
        }
        return action.toString();
    }

    /** Records the call, when its route is audited; fails when the trail could not take it. */
    static Future<Void> record(RoutingContext ctx, int status) {
        Route route = ctx.currentRoute();
        String action = route == null ? null : route.getMetadata(ACTION_KEY);
        AuditTrail trail = route == null ? null : route.getMetadata(TRAIL_KEY);
        if (action == null || trail == null) {
            return Future.succeededFuture();
        }
        Map<String, Object> details = new TreeMap<>();
        details.put("method", ctx.request().method().name());
        details.put("status", status);
        ctx.queryParams().forEach(e -> details.putIfAbsent("query." + e.getKey(), e.getValue()));
        bodyFacts(ctx).forEach((k, v) -> details.putIfAbsent("body." + k, v));
        return trail.record(Actors.of(ctx), action, ctx.request().path(), details)
                .recover(e -> Future.failedFuture(new ApiException(
                        503,
                        "audit_unavailable",
                        "the action was done but the audit ledger did not take its record: " + e.getMessage())));
    }

    /** The body's top-level strings, numbers and booleans, without any whose name suggests a secret. */
    private static Map<String, Object> bodyFacts(RoutingContext ctx) {
        Map<String, Object> facts = new TreeMap<>();
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            return facts;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return facts;
        }
        if (body == null) {
            return facts;
        }
        body.forEach(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            Object v = e.getValue();
            if (SECRET_WORDS.stream().noneMatch(name::contains)
                    && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                facts.put(e.getKey(), v);
            }
        });
        return facts;
    }
}
