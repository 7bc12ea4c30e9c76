package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

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
    api.service.ready = false;

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
    api.service.ready = false;

    var reply = api.get("/health/ready");

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.error().getString("code")).isEqualTo("unavailable");
    assertThat(reply.error().getString("message")).startsWith("coordinator is not ready");
  }
}
