package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.audit.LedgerHealth;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AuditApiTest {

    private final List<AuditTrail.Event> recorded = new CopyOnWriteArrayList<>();
    private final AuditTrail collecting = event -> {
        recorded.add(event);
        return Future.succeededFuture();
    };
    /** Names the caller, as the token hook will. */
    private final Handler<RoutingContext> namedCaller = ctx -> {
        ctx.put(Actors.KEY, "ops-token");
        ctx.next();
    };

    @Test
    @DisplayName("a successful mutation is recorded with its caller, path, query and secret-free body; reads are not")
    void mutationsAreRecorded(Vertx vertx) throws Exception {
        ApiHarness api = ApiHarness.start(
                vertx,
                List.of(namedCaller),
                new ControlApi.Ledger(
                        collecting, (since, limit) -> Future.succeededFuture(List.of()), LedgerHealth.none()));

        assertThat(api.post("/v1/policies/apps/pause", null).status()).isEqualTo(200);
        assertThat(api.put("/v1/links/eu-west/us-east", "{\"bandwidth\":\"50MiB/s\",\"apiToken\":\"s3cr3t\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/v1/policies").status()).isEqualTo(200);
        assertThat(api.post("/v1/policies/nope/sync", null).status()).isEqualTo(404);

        assertThat(recorded).hasSize(2);
        AuditTrail.Event pause = recorded.get(0);
        assertThat(pause.actor()).isEqualTo("ops-token");
        assertThat(pause.action()).isEqualTo("api.policies.pause");
        assertThat(pause.subject()).isEqualTo("/v1/policies/apps/pause");
        assertThat(pause.details()).containsEntry("status", 200).containsEntry("method", "POST");
        AuditTrail.Event link = recorded.get(1);
        assertThat(link.action()).isEqualTo("api.links.put");
        assertThat(link.details()).containsEntry("body.bandwidth", "50MiB/s").doesNotContainKey("body.apiToken");
        assertThat(link.details().toString()).doesNotContain("s3cr3t");
    }

    @Test
    @DisplayName("when the ledger refuses the record, the call answers 503 audit_unavailable")
    void refusedRecordIsNotAcknowledged(Vertx vertx) throws Exception {
        ApiHarness api = ApiHarness.start(
                vertx,
                List.of(),
                new ControlApi.Ledger(
                        event -> Future.failedFuture(new IllegalStateException("disk full")),
                        (since, limit) -> Future.succeededFuture(List.of()),
                        LedgerHealth.none()));

        var reply = api.post("/v1/policies/apps/resume", null);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error().getString("code")).isEqualTo("audit_unavailable");
    }

    @Test
    @DisplayName("GET /v1/audit serves the stored lines as JSON lines, from since, and checks its query")
    void servesTheLedger(Vertx vertx) throws Exception {
        ApiHarness api = ApiHarness.start(
                vertx,
                List.of(),
                new ControlApi.Ledger(
                        collecting,
                        (since, limit) -> Future.succeededFuture(
                                List.of("{\"seq\":" + since + "}", "{\"seq\":" + (since + 1) + "}")
                                        .subList(0, Math.min(2, limit))),
                        LedgerHealth.none()));

        var reply = api.get("/v1/audit?since=7&limit=1");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("content-type")).isEqualTo("application/x-ndjson");
        assertThat(reply.body()).isEqualTo("{\"seq\":7}\n");
        assertThat(api.get("/v1/audit?since=x").status()).isEqualTo(400);
    }
}
