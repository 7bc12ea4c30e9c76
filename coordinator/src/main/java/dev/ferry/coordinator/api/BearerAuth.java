package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.security.Access;
import dev.ferry.coordinator.security.Authenticator;
import dev.ferry.coordinator.security.Verdict;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * The token auth hook: 401 without a valid bearer token, 403 when its role does not reach the
 * route's {@link Access} level; otherwise the token's name becomes the request's actor.
 * Levels other than viewer, operator, admin and worker (webhooks with their own shared
 * secret) pass through untouched. In dev mode (no tokens listed) every request passes.
 */
public final class BearerAuth implements Handler<RoutingContext> {

    /** The levels tokens are checked for; any other (public, webhooks) passes untouched. */
    static final Set<Access> TOKEN_LEVELS = EnumSet.of(Access.VIEWER, Access.OPERATOR, Access.ADMIN, Access.WORKER);

    private static final String SCHEME = "Bearer ";

    private final Authenticator authenticator;
    private final boolean workersNeedClientCert;

    /** @param workersNeedClientCert true with mTLS: worker routes also need a verified client certificate */
    public BearerAuth(Authenticator authenticator, boolean workersNeedClientCert) {
        this.authenticator = authenticator;
        this.workersNeedClientCert = workersNeedClientCert;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Access access = Access.of(ctx);
        if (!TOKEN_LEVELS.contains(access) || authenticator.devMode()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || header.length() == SCHEME.length()) {
            refuse(ctx, "a bearer token is required (Authorization: Bearer TOKEN)");
            return;
        }
        Verdict verdict = authenticator.check(header.substring(SCHEME.length()).strip());
        if (!verdict.accepted()) {
            refuse(ctx, verdict.refusal());
            return;
        }
        var caller = verdict.caller();
        if (!caller.role().permits(access)) {
            ctx.fail(new ApiException(
                    403,
                    "forbidden",
                    "token \"" + caller.name() + "\" has role " + caller.role().id() + "; this endpoint needs "
                            + needed(access)));
            return;
        }
        if (access == Access.WORKER && workersNeedClientCert && !caller.inProcess() && !hasClientCert(ctx)) {
            ctx.fail(new ApiException(
                    403, "forbidden", "the lease endpoints need a client certificate signed by the API's client CA"));
            return;
        }
        ctx.put(Actors.KEY, caller.name());
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"ferry\"");
        ctx.fail(new ApiException(401, "unauthorized", message));
    }

    private static String needed(Access access) {
        return switch (access) {
            case VIEWER -> "viewer, operator or admin";
            case OPERATOR -> "operator or admin";
            case ADMIN -> "admin";
            default -> "worker";
        };
    }

    private static boolean hasClientCert(RoutingContext ctx) {
        try {
            return ctx.request().isSSL()
                    && !ctx.request().connection().peerCertificates().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
