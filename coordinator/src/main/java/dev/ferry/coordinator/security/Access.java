package dev.ferry.coordinator.security;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call a route. Every route carries its level as route metadata, so an auth hook
 * (see {@link ControlApi}) can decide with {@link #of(RoutingContext)} without knowing paths.
 */
public enum Access {
    /** Probes: never authenticated. */
    PUBLIC,
    /** Read-only views. */
    VIEWER,
    /** Runbook actions: sync, pause, resume, rollback, cancel. */
    OPERATOR,
    /** Cluster-wide settings: link quotas, tokens, config reload. */
    ADMIN,
    /** The lease protocol. */
    WORKER,
    /**
     * Registry notifications: the sending registry authenticates with its own webhook secret,
     * which the route checks itself; token auth lets these routes through.
     */
    WEBHOOK;

    public static final String METADATA_KEY = "ferry.access";

    /** The level of the route now handling {@code ctx}; {@link #PUBLIC} when it has none. */
    public static Access of(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        Access access = route == null ? null : route.getMetadata(METADATA_KEY);
        return access == null ? PUBLIC : access;
    }
}
