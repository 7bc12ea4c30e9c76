package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of query parameters. A parameter the route does not know is a 400 rather
 * than silently ignored, so a typo such as {@code ?tiers=bulk} cannot widen a query.
 */
final class Query {

    private final RoutingContext ctx;

    private Query(RoutingContext ctx) {
        this.ctx = ctx;
    }

    /** Fails when the request carries a parameter outside {@code known}. */
    static Query of(RoutingContext ctx, String... known) {
        Set<String> allowed = Set.of(known);
        Set<String> unknown = new TreeSet<>(ctx.queryParams().names());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            String name = unknown.iterator().next();
            throw ApiException.badRequest("unknown query parameter \"" + name + "\""
                    + (known.length == 0 ? "; this endpoint takes none" : "; allowed: " + String.join(", ", known)));
        }
        return new Query(ctx);
    }

    /** The value, or null when absent or empty (an empty value means "any"). */
    String text(String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(
                    "query parameter \"" + name + "\" is given " + values.size() + " times; give it once");
        }
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }

    String oneOf(String name, List<String> allowed) {
        String value = text(name);
        if (value != null && !allowed.contains(value)) {
            throw ApiException.badRequest("query parameter \"" + name + "\" must be one of "
                    + String.join(", ", allowed) + "; got \"" + value + "\"");
        }
        return value;
    }

    int integer(String name, int min, int max, int fallback) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter \"" + name + "\" must be an integer from " + min + " to "
                    + max + "; got \"" + value + "\"");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(
                    "query parameter \"" + name + "\" must be an integer from " + min + " to " + max + "; got " + n);
        }
        return n;
    }

    boolean bool(String name, boolean fallback) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw ApiException.badRequest(
                        "query parameter \"" + name + "\" must be true or false; got \"" + value + "\"");
        };
    }
}
