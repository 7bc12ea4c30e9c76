package dev.ferry.coordinator.report;

import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;

/** Builds compliance reports for {@code GET /v1/reports/compliance}. */
@FunctionalInterface
public interface ComplianceReports {

    /** The report of the last {@code since}, as JSON-ready maps. */
    Future<Map<String, Object>> report(Duration since);

    /** When no ledger is configured: every request is a 503. */
    static ComplianceReports none() {
        return since -> Future.failedFuture(new ApiException(
                503, "unavailable", "compliance reports need the audit ledger, which this member does not have"));
    }
}
