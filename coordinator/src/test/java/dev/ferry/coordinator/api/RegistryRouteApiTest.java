package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RegistryRouteApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("GET /v1/registries lists each registry's state, whether it is in its routes, and its last probe")
    void registries() throws Exception {
        var reply = api.get("/v1/registries");
        assertThat(reply.status()).isEqualTo(200);
        JsonObject first = reply.json().getJsonArray("registries").getJsonObject(0);
        assertThat(first.getString("state")).isEqualTo("healthy");
        assertThat(first.getBoolean("inRoutes")).isTrue();
        assertThat(first.getJsonObject("lastProbe").getString("status")).isEqualTo("200");
        assertThat(reply.json().getJsonArray("registries").getJsonObject(1).getString("state"))
                .isEqualTo("down");
    }

    @Test
    @DisplayName("failover and drain pass the reason and the actor; unknown registries are 404")
    void failoverAndDrain() throws Exception {
        var failover = api.post("/v1/registries/mirror-eu/failover", "{\"reason\":\"disk full\"}");
        assertThat(failover.status()).isEqualTo(200);
        assertThat(failover.json().getString("state")).isEqualTo("out-of-service");
        assertThat(api.health.lastRegistryAction).isEqualTo("failover|mirror-eu|disk full|anonymous@127.0.0.1");

        var drain = api.post("/v1/registries/hub-eu/drain", null);
        assertThat(drain.status()).isEqualTo(200);
        assertThat(api.health.lastRegistryAction).startsWith("drain|hub-eu|null|");

        var unknown = api.post("/v1/registries/nope/failover", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error().getString("message")).contains("nope");
    }

    @Test
    @DisplayName("failback before the catch-up is a 409 with the reason; ?force=true goes through")
    void failback() throws Exception {
        var refused = api.post("/v1/registries/mirror-eu/failback", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error().getString("code")).isEqualTo("catch_up_pending");
        assertThat(refused.error().getString("message")).contains("--force");

        var forced = api.post("/v1/registries/mirror-eu/failback?force=true", null);
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().getBoolean("inRoutes")).isTrue();
        assertThat(api.health.lastRegistryAction).isEqualTo("failback|mirror-eu|true|anonymous@127.0.0.1");
    }

    @Test
    @DisplayName("POST /v1/drills starts a drill (202) and checks its duration; GET /v1/drills/{id} reports it")
    void drills() throws Exception {
        var started = api.post("/v1/drills", "{\"registry\":\"mirror-eu\",\"duration\":\"5m\"}");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().getLong("durationMillis")).isEqualTo(300_000L);
        assertThat(started.json().getJsonArray("switched").getJsonObject(0).getString("to"))
                .isEqualTo("hub-eu");

        var bad = api.post("/v1/drills", "{\"registry\":\"mirror-eu\",\"duration\":\"soon\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error().getString("message")).contains("duration");
        var tooLong = api.post("/v1/drills", "{\"registry\":\"mirror-eu\",\"duration\":\"3d\"}");
        assertThat(tooLong.status()).isEqualTo(400);

        var report = api.get("/v1/drills/drill-1");
        assertThat(report.json().getString("phase")).isEqualTo("passed");
        assertThat(report.json().getLong("catchUpMillis")).isEqualTo(1500L);
        assertThat(api.get("/v1/drills/drill-9").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("GET /v1/routes filters by team and region; unknown filters are 400")
    void routes() throws Exception {
        assertThat(api.get("/v1/routes?team=payments").json().getJsonArray("routes"))
                .hasSize(1);
        assertThat(api.get("/v1/routes?team=search").json().getJsonArray("routes"))
                .isEmpty();
        assertThat(api.get("/v1/routes?region=us-east").json().getJsonArray("routes"))
                .isEmpty();
        assertThat(api.get("/v1/routes?colour=red").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("a route answers with an etag; If-None-Match gets 304, and a long poll wakes on a switch")
    void routeEtagAndLongPoll() throws Exception {
        var first = api.get("/v1/routes/ci-eu");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().getString("active")).isEqualTo("mirror-eu");
        String etag = first.headers().get("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");

        var unchanged = ApiHarness.await(api.getWith("/v1/routes/ci-eu", Map.of("If-None-Match", etag)));
        assertThat(unchanged.status()).isEqualTo(304);

        var poll = api.getWith("/v1/routes/ci-eu?wait=20", Map.of("If-None-Match", etag));
        Thread.sleep(300);
        assertThat(poll.isComplete())
                .as("the long poll waits while nothing changed")
                .isFalse();
        api.health.switchRoute("hub-eu");
        var woken = ApiHarness.await(poll);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(woken.json().getString("active")).isEqualTo("hub-eu");
        assertThat(woken.headers().get("ETag")).isNotEqualTo(etag);

        assertThat(api.get("/v1/routes/nope").status()).isEqualTo(404);
        assertThat(api.get("/v1/routes/ci-eu?wait=999").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("hosts.toml and registries.conf are TOML with their own etags")
    void files() throws Exception {
        var hosts = api.get("/v1/routes/ci-eu/hosts.toml");
        assertThat(hosts.status()).isEqualTo(200);
        assertThat(hosts.headers().get("Content-Type")).startsWith("application/toml");
        assertThat(hosts.body())
                .contains("server = \"https://hub-eu.example.com\"")
                .contains("[host.\"https://mirror-eu.example.com\"]");
        String etag = hosts.headers().get("ETag");
        assertThat(etag).endsWith("-hosts\"");
        assertThat(ApiHarness.await(api.getWith("/v1/routes/ci-eu/hosts.toml", Map.of("If-None-Match", etag)))
                        .status())
                .isEqualTo(304);

        var crio = api.get("/v1/routes/ci-eu/registries.conf");
        assertThat(crio.body()).contains("[[registry.mirror]]").contains("location = \"mirror-eu.example.com\"");
    }
}
