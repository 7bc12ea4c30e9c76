package dev.ferry.coordinator.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.audit.LedgerLine;
import dev.ferry.coordinator.audit.LedgerVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplianceReportTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final List<String> lines = new ArrayList<>();
    private String prev = LedgerLine.GENESIS;

    private void add(int second, String actor, String action, String subject, Map<String, Object> details) {
        LedgerLine line = LedgerLine.create(
                lines.size() + 1, prev, T0.plusSeconds(second).toString(), actor, action, subject, details);
        prev = line.hash();
        lines.add(line.text());
    }

    private Map<String, Object> build(Instant from, Instant to) {
        LedgerVerifier.Report verified = new LedgerVerifier(java.util.Set.of()).verify(lines);
        return ComplianceReport.build(new ComplianceReport.Inputs(
                from, to, lines, verified, List.of(), List.of(), List.of(), List.of("ci", "edge")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void failoversPairWithTheirFailbackAndRoutesWithoutAMirrorAreMeasured() {
        add(0, "ops", "api.registries.failover", "/v1/registries/a/failover", Map.of());
        add(0, "ops", "registry.failover", "registry/a", Map.of("reason", "maintenance"));
        add(0, "ops", "registry.failover", "registry/a", Map.of("mode", "failover", "reason", "out of service"));
        add(
                1,
                "ferry",
                "route.switch",
                "route/edge",
                Map.of("from", "a", "to", "null", "reason", "no mirror can serve"));
        add(1, "ferry", "route.switch", "route/ci", Map.of("from", "a", "to", "b", "reason", "b is the first"));
        add(31, "ferry", "route.switch", "route/edge", Map.of("from", "null", "to", "a", "reason", "a is preferred"));
        add(30, "ops", "registry.failback", "registry/a", Map.of("mode", "forced"));
        add(40, "ops", "drill.start", "registry/b", Map.of("drill", "d1", "durationSeconds", 5, "switchedRoutes", 1));
        add(45, "ferry", "drill.restore", "registry/b", Map.of("drill", "d1", "heldJobs", 2));
        add(
                50,
                "ferry",
                "drill.end",
                "registry/b",
                Map.of("drill", "d1", "outcome", "passed", "catchUpMillis", 4000, "failedJobs", 0));

        Map<String, Object> report = build(T0, T0.plusSeconds(100));

        assertThat((Map<String, Object>) report.get("ledger"))
                .containsEntry("verified", true)
                .containsEntry("entries", 10);
        List<Map<String, Object>> failovers = (List<Map<String, Object>>) report.get("failovers");
        assertThat(failovers)
                .singleElement()
                .satisfies(f -> assertThat(f)
                        .containsEntry("registry", "a")
                        .containsEntry("mode", "failover")
                        .containsEntry("by", "ops")
                        .containsEntry("reason", "maintenance")
                        .containsEntry("durationSeconds", 30.0));
        List<Map<String, Object>> drills = (List<Map<String, Object>>) report.get("drills");
        assertThat(drills)
                .singleElement()
                .satisfies(d -> assertThat(d)
                        .containsEntry("outcome", "passed")
                        .containsEntry("outOfServiceSeconds", 5.0)
                        .containsEntry("durationSeconds", 10.0));
        List<Map<String, Object>> routes = (List<Map<String, Object>>) report.get("routes");
        assertThat(routes.get(0)).containsEntry("route", "ci").containsEntry("eligibleShare", 1.0);
        assertThat(routes.get(1))
                .containsEntry("route", "edge")
                .containsEntry("withoutEligibleMirrorSeconds", 30.0)
                .containsEntry("eligibleShare", 0.7);
        List<Map<String, Object>> actions = (List<Map<String, Object>>) report.get("actions");
        assertThat(actions)
                .anySatisfy(a -> assertThat(a)
                        .containsEntry("actor", "ops")
                        .containsEntry("action", "registry.failover")
                        .containsEntry("count", 2));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anActiveMirrorThatStaysButIsNotEligibleCountsAsTimeWithoutOne() {
        add(0, "ferry", "registry.state", "registry/a", Map.of());
        add(20, "ferry", "route.eligibility", "route/ci", Map.of("active", "a", "eligible", false, "reason", "x"));
        add(30, "ferry", "route.eligibility", "route/ci", Map.of("active", "a", "eligible", true, "reason", "y"));
        add(
                50,
                "ferry",
                "route.switch",
                "route/edge",
                Map.of("from", "a", "to", "b", "reason", "z", "eligible", false));

        List<Map<String, Object>> routes =
                (List<Map<String, Object>>) build(T0, T0.plusSeconds(100)).get("routes");

        assertThat(routes.get(0))
                .containsEntry("route", "ci")
                .containsEntry("withoutEligibleMirrorSeconds", 10.0)
                .containsEntry("switches", 0);
        assertThat(routes.get(1))
                .containsEntry("route", "edge")
                .containsEntry("withoutEligibleMirrorSeconds", 50.0)
                .containsEntry("switches", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailoverStillOpenAtTheEndIsOngoingAndEventsBeforeTheWindowAreLeftOut() {
        add(0, "ops", "tag.write", "mirror/app:v1", Map.of());
        add(10, "ferry", "registry.failover", "registry/a", Map.of("mode", "auto", "reason", "3 probes failed"));

        Map<String, Object> report = build(T0.plusSeconds(5), T0.plusSeconds(70));

        List<Map<String, Object>> failovers = (List<Map<String, Object>>) report.get("failovers");
        assertThat(failovers)
                .singleElement()
                .satisfies(f -> assertThat(f).containsEntry("ongoing", true).containsEntry("durationSeconds", 60.0));
        assertThat((List<Map<String, Object>>) report.get("actions"))
                .extracting(a -> a.get("action"))
                .containsExactly("registry.failover");
    }

    @Test
    void aLedgerWithAnEditedLineDoesNotVerifyAndTheRenderedReportSaysSo() throws Exception {
        add(0, "ops", "tag.write", "mirror/app:v1", Map.of("digest", "sha256:aa"));
        add(1, "ops", "tag.write", "mirror/app:v2", Map.of("digest", "sha256:bb"));
        lines.set(0, lines.get(0).replace("app:v1", "app:v9"));

        Map<String, Object> report = build(T0, T0.plusSeconds(10));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(report);

        assertThat(json.path("ledger").path("verified").asBoolean()).isFalse();
        assertThat(ReportRenderer.markdown((com.fasterxml.jackson.databind.JsonNode) json))
                .contains("The ledger does NOT verify");
        assertThat(ReportRenderer.html((com.fasterxml.jackson.databind.JsonNode) json))
                .contains("<h2>Failovers</h2>")
                .doesNotContain("<script");
    }
}
