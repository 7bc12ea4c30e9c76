package dev.ferry.coordinator.api;

import dev.ferry.coordinator.audit.AuditReader;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.audit.LedgerHealth;
import dev.ferry.coordinator.service.CoordinatorService;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * The control API (v1) as a Vert.x Web {@link Router} in front of a {@link CoordinatorService}.
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

  private final CoordinatorService service;
  private final List<Handler<RoutingContext>> authHooks;
  private final AdminOps admin;
  private final HostRule hosts;
  private AuditTrail audit;
  private AuditReader auditLog = AuditReader.none();
  private Supplier<LedgerHealth> ledgerHealth = LedgerHealth.none();
  private dev.ferry.coordinator.report.ComplianceReports reports = dev.ferry.coordinator.report.ComplianceReports.none();

  /** An API without authentication, bound to 127.0.0.1: for tests and loopback-only standalone use. */
  public ControlApi(CoordinatorService service) {
    this(service, List.of());
  }

  public ControlApi(CoordinatorService service, List<Handler<RoutingContext>> authHooks) {
    this(service, authHooks, AdminOps.unavailable());
  }

  /** @param admin token minting and config reload ({@link AdminOps#unavailable()} without them) */
  public ControlApi(CoordinatorService service, List<Handler<RoutingContext>> authHooks, AdminOps admin) {
    this(service, authHooks, admin, "127.0.0.1");
  }

  /** @param bindHost the host the API listens on: it decides which {@code Host} headers are accepted */
  public ControlApi(CoordinatorService service, List<Handler<RoutingContext>> authHooks, AdminOps admin,
      String bindHost) {
    this.service = service;
    this.authHooks = List.copyOf(authHooks);
    this.admin = admin;
    this.hosts = HostRule.forBind(bindHost);
  }

  /**
   * Records every successful operator or admin mutation in {@code trail} before answering it,
   * and serves {@code GET /v1/audit} from {@code log}.
   */
  public ControlApi audit(AuditTrail trail, AuditReader log) {
    this.audit = trail;
    this.auditLog = log;
    return this;
  }

  /** What {@code GET /v1/reports/compliance} builds its report with. */
  public ControlApi reports(dev.ferry.coordinator.report.ComplianceReports compliance) {
    this.reports = compliance;
    return this;
  }

  /** What {@code GET /health/ready} says of this member's audit ledger file. */
  public ControlApi ledgerHealth(Supplier<LedgerHealth> health) {
    this.ledgerHealth = health;
    return this;
  }

  /** A new router with every route of the API; mount it or hand it to {@link ControlApiServer}. */
  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestGuard(hosts));
    RouteSetup setup = new RouteSetup(authHooks, audit);
    List<ApiResource> resources = List.of(
        new HealthResource(service, setup, ledgerHealth),
        new StatusResource(service, setup),
        new PolicyResource(service, setup),
        new RunResource(service, setup),
        new JobResource(service, setup),
        new LeaseResource(service, setup),
        new HistoryResource(service, setup),
        new RollbackResource(service, setup),
        new LinkResource(service, setup),
        new RegistryResource(service, setup),
        new RouteResource(service, setup),
        new EventResource(service, setup),
        new MetricsResource(service, setup),
        new AdminResource(admin, setup),
        new AuditResource(auditLog, setup),
        new ActivityResource(auditLog, setup),
        new ConsoleResource(CONSOLE, setup),
        new ReportResource(reports, setup));
    resources.forEach(resource -> resource.addRoutes(router));
    ErrorReplies errors = new ErrorReplies();
    router.route().failureHandler(errors);
    router.errorHandler(404, errors);
    router.errorHandler(405, errors);
    router.errorHandler(500, errors);
    return router;
  }
}
