package dev.ferry.coordinator.security;

import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.diff.ScheduleDiff;
import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Minting tokens and reloading the schedule, each recorded through the {@link AuditTrail}
 * before it is acknowledged. A reload validates the file first and swaps only a valid one in; a
 * file without tokens is refused while tokens are required, so a reload cannot open the API.
 */
public final class AdminService implements AdminOps {

    /** Why a reload that would drop every token is refused: auth goes off only by a deliberate restart. */
    static final String SWITCHES_AUTH_OFF = "the new schedule lists no api.tokens, and the running API requires them: "
            + "a reload never switches authentication off; to run in dev mode (loopback only), restart the coordinator "
            + "with that schedule";

    private final Vertx vertx;
    private final ApiSecurity security;
    private final ReloadableSchedule schedule;
    private final Supplier<Schedule> loader;
    private final AuditTrail audit;
    private final Clock clock;
    private final Consumer<Schedule> onApplied;

    /**
     * @param loader reads and validates the schedule file (blocking), or null when there is none
     * @param onApplied called on the event loop with a schedule just swapped in (re-arms triggers)
     */
    public AdminService(
            Vertx vertx,
            ApiSecurity security,
            ReloadableSchedule schedule,
            Supplier<Schedule> loader,
            AuditTrail audit,
            Clock clock,
            Consumer<Schedule> onApplied) {
        this.vertx = vertx;
        this.security = security;
        this.schedule = schedule;
        this.loader = loader;
        this.audit = audit;
        this.clock = clock;
        this.onApplied = onApplied;
    }

    @Override
    public Future<Map<String, Object>> mintToken(String actor, String name, String role, Duration ttl) {
        MintedTokens minted = security.authenticator().minted();
        if (minted == null) {
            return Future.failedFuture(ApiException.unavailable("token minting is off: set api.tokenKeyFile"));
        }
        MintedTokens.Minted token;
        Role parsed;
        try {
            parsed = Role.parse(role);
            token = minted.mint(name, parsed, ttl);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ApiException.badRequest(e.getMessage()));
        }
        return audit.record(
                        actor,
                        "token.mint",
                        "token/" + name,
                        Map.of("role", parsed.id(), "expires", token.expires().toString()))
                .map(v -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("name", name);
                    out.put("role", parsed.id());
                    out.put("expires", token.expires().toString());
                    out.put("token", token.token());
                    return out;
                });
    }

    @Override
    public Future<Map<String, Object>> reloadConfig(String actor) {
        if (loader == null) {
            return AdminOps.unavailable().reloadConfig(actor);
        }
        return vertx.executeBlocking(loader::get).transform(ar -> {
            if (ar.failed()) {
                return refused(actor, ar.cause());
            }
            Schedule next = ar.result();
            if (next.api().tokens().isEmpty() && !security.loopback()) {
                return refused(
                        actor,
                        new IllegalArgumentException("the new schedule lists no api.tokens, and this API "
                                + "listens beyond loopback: dev mode is for loopback only"));
            }
            if (next.api().tokens().isEmpty() && !security.authenticator().devMode()) {
                return refused(actor, new IllegalArgumentException(SWITCHES_AUTH_OFF));
            }
            ReloadableSchedule.Reload reload = schedule.reload(() -> next);
            security.authenticator().replace(new TokenBook(next.api().tokens(), clock));
            onApplied.accept(next);
            ScheduleDiff diff = reload.diff();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("policies", summary(diff.policies()));
            details.put("registries", summary(diff.registries()));
            details.put("routes", summary(diff.routes()));
            details.put("tokens", next.api().tokens().size());
            return audit.record(actor, "config.reload", "schedule", details).map(v -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("applied", true);
                out.put("policies", diff.policies());
                out.put("registries", diff.registries());
                out.put("routes", diff.routes());
                out.put("linksChanged", diff.linksChanged());
                out.put("tokens", next.api().tokens().size());
                return out;
            });
        });
    }

    private Future<Map<String, Object>> refused(String actor, Throwable cause) {
        String why = cause instanceof ConfigException e
                ? e.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("; "))
                : cause instanceof IllegalArgumentException
                        ? cause.getMessage()
                        : "cannot read the schedule file (" + cause.getClass().getSimpleName() + ")";
        return audit.record(actor, "config.reload.refused", "schedule", Map.of("problems", why))
                .transform(ignored -> Future.failedFuture(new ApiException(
                        422, "invalid_config", "the schedule was not reloaded; the running one stays: " + why)));
    }

    private static String summary(ScheduleDiff.Changes c) {
        return "+" + c.added().size() + " -" + c.removed().size() + " ~"
                + c.changed().size();
    }
}
