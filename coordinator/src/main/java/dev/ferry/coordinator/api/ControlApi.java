package dev.ferry.coordinator.api;

import dev.ferry.coordinator.audit.AuditReader;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.audit.LedgerHealth;
import dev.ferry.coordinator.security.Access;
import dev.ferry.coordinator.security.AdminOps;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * The control API (v1) as a Vert.x Web {@link Router} in front of the coordinator's services
 * ({@link ApiServices}).
 * Each resource adds its own routes; one {@link ErrorReplies} handler turns every failure,
 * unknown path (404) and wrong method (405) into {@code {"error": {"code", "message"}}}.
 *
 * <p>Every request first passes a {@link RequestGuard} (Host, Origin and Content-Type checks
 * against pages in a browser), whatever the auth mode.
 *
 * <p>Auth seam: {@code authHooks} run, in order, before the handler of every route except the
 * health probes. A hook calls {@code ctx.next()} to let the request through, or
 * {@code ctx.fail(new ApiException(401 or 403, ...))}; it reads the route's required level
 * with {@link Access#of(RoutingContext)}. Request bodies are already read when hooks run.
 */
public final class ControlApi {

    /** The console's files, read from the jar once. */
    private static final dev.ferry.coordinator.ui.ConsoleAssets CONSOLE = dev.ferry.coordinator.ui.ConsoleAssets.load();

    private final ApiServices services;
    private final List<Handler<RoutingContext>> authHooks;
    private final AdminOps admin;
    private final HostRule hosts;
    private final Ledger ledger;

    /**
     * The audit ledger as the API uses it.
     *
     * @param trail where every successful operator or admin mutation is recorded before it is
     *     answered; null records none (an API without a ledger: tests and tools)
     * @param log what {@code GET /v1/audit} serves
     * @param health what {@code GET /health/ready} says of this member's ledger file
     * @param reports what {@code GET /v1/reports/compliance} builds its reports with
     */
    public record Ledger(
            AuditTrail trail,
            AuditReader log,
            Supplier<LedgerHealth> health,
            dev.ferry.coordinator.report.ComplianceReports reports) {

        /** A ledger without compliance reports (they answer 503). */
        public Ledger(AuditTrail trail, AuditReader log, Supplier<LedgerHealth> health) {
            this(trail, log, health, dev.ferry.coordinator.report.ComplianceReports.none());
        }

        /** No ledger: nothing is recorded, the log is empty and its health is not reported. */
        public static Ledger none() {
            return new Ledger(null, AuditReader.none(), LedgerHealth.none());
        }
    }

    /** An API without authentication or ledger, bound to 127.0.0.1: for tests and tools. */
    public ControlApi(ApiServices services) {
        this(services, List.of(), AdminOps.unavailable(), "127.0.0.1", Ledger.none());
    }

    /**
     * @param admin token minting and config reload ({@link AdminOps#unavailable()} without them)
     * @param bindHost the host the API listens on: it decides which {@code Host} headers are accepted
     */
    public ControlApi(
            ApiServices services,
            List<Handler<RoutingContext>> authHooks,
            AdminOps admin,
            String bindHost,
            Ledger ledger) {
        this.services = services;
        this.authHooks = List.copyOf(authHooks);
        this.admin = admin;
        this.hosts = HostRule.forBind(bindHost);
        this.ledger = ledger;
    }

    /** A new router with every route of the API; mount it or hand it to {@link ControlApiServer}. */
    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(new RequestGuard(hosts));
        RouteSetup setup = new RouteSetup(authHooks, ledger.trail());
        List<ApiResource> resources = List.of(
                new HealthResource(services.status(), setup, ledger.health()),
                new StatusResource(services.status(), setup),
                new PolicyResource(services.runs(), setup),
                new PlanResource(services.plans(), setup),
                new RunResource(services.runs(), setup),
                new JobResource(services.runs(), setup),
                new LeaseResource(services.leases(), setup),
                new HistoryResource(services.history(), setup),
                new RollbackResource(services.history(), setup),
                new LinkResource(services.links(), setup),
                new RegistryResource(services.health(), setup),
                new RouteResource(services.health(), setup),
                new EventResource(services.events(), setup),
                new MetricsResource(services.metrics(), setup),
                new AdminResource(admin, setup),
                new AuditResource(ledger.log(), setup),
                new ActivityResource(ledger.log(), setup),
                new ConsoleResource(CONSOLE, setup),
                new ReportResource(ledger.reports(), setup));
        resources.forEach(resource -> resource.addRoutes(router));
        ErrorReplies errors = new ErrorReplies();
        router.route().failureHandler(errors);
        router.errorHandler(404, errors);
        router.errorHandler(405, errors);
        router.errorHandler(500, errors);
        return router;
    }
}
