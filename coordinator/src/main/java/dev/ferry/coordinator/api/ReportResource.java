package dev.ferry.coordinator.api;

import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.report.ComplianceReports;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** {@code GET /v1/reports/compliance?since=30d} (admin): the compliance report of a window. */
final class ReportResource implements ApiResource {

    static final Duration DEFAULT_SINCE = Duration.ofDays(30);
    static final Duration MAX_SINCE = Duration.ofDays(3660);

    private final ComplianceReports reports;
    private final RouteSetup setup;

    ReportResource(ComplianceReports reports, RouteSetup setup) {
        this.reports = reports;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/reports/compliance", Access.ADMIN, this::compliance);
    }

    private void compliance(RoutingContext ctx) {
        String text = Query.of(ctx, "since").text("since");
        Duration since;
        try {
            since = text == null ? DEFAULT_SINCE : Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_request", "query parameter \"since\": " + e.getMessage());
        }
        if (since.isZero() || since.isNegative() || since.compareTo(MAX_SINCE) > 0) {
            throw new ApiException(
                    400,
                    "bad_request",
                    "query parameter \"since\" must be more than 0 and at most 3660d," + " got \"" + text + "\"");
        }
        Replies.json(ctx, reports.report(since), 200);
    }
}
