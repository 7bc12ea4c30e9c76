package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.audit.LedgerHealth;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HealthApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("liveness answers 200 even while the coordinator is not ready")
    void liveWhileNotReady() throws Exception {
        api.status.ready = false;

        var reply = api.get("/health/live");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(new JsonObject().put("status", "live"));
    }

    @Test
    @DisplayName("readiness answers 200 when the service is ready")
    void ready() throws Exception {
        var reply = api.get("/health/ready");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(new JsonObject().put("status", "ready"));
        assertThat(reply.headers().get("content-type")).isEqualTo("application/json");
    }

    @Test
    @DisplayName("readiness answers 503 with the error body when the service is not ready")
    void notReady() throws Exception {
        api.status.ready = false;

        var reply = api.get("/health/ready");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error().getString("code")).isEqualTo("unavailable");
        assertThat(reply.error().getString("message")).startsWith("coordinator is not ready");
    }

    @Test
    @DisplayName("readiness says how the audit ledger file is, and a break there leaves the member ready")
    void ledgerDetail(Vertx vertx) throws Exception {
        var intact = ApiHarness.start(
                        vertx,
                        java.util.List.of(),
                        new ControlApi.Ledger(
                                null,
                                dev.ferry.coordinator.audit.AuditReader.none(),
                                () -> new LedgerHealth("intact", 0, null)))
                .get("/health/ready");
        assertThat(intact.json())
                .isEqualTo(new JsonObject()
                        .put("status", "ready")
                        .put(
                                "auditLedger",
                                new JsonObject().put("status", "intact").put("breaks", 0)));

        var broken = ApiHarness.start(
                        vertx,
                        java.util.List.of(),
                        new ControlApi.Ledger(
                                null,
                                dev.ferry.coordinator.audit.AuditReader.none(),
                                () -> new LedgerHealth("broken", 1, "audit-ledger.jsonl:6: ...")))
                .get("/health/ready");
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.json().getJsonObject("auditLedger"))
                .isEqualTo(new JsonObject()
                        .put("status", "broken")
                        .put("breaks", 1)
                        .put("message", "audit-ledger.jsonl:6: ..."));
    }
}
