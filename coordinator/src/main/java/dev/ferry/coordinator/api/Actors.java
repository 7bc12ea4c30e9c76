package dev.ferry.coordinator.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/** Who made a request, for audit records. */
final class Actors {

    /** Set by an auth hook to the caller's identity (a token name); absent without auth. */
    static final String KEY = "ferry.actor";

    private Actors() {}

    /** The identity an auth hook recorded, or {@code anonymous@ADDRESS} without one. */
    static String of(RoutingContext ctx) {
        Object named = ctx.get(KEY);
        if (named instanceof String s && !s.isBlank()) {
            return s;
        }
        SocketAddress remote = ctx.request().remoteAddress();
        return "anonymous@" + (remote == null ? "unknown" : remote.hostAddress());
    }
}
