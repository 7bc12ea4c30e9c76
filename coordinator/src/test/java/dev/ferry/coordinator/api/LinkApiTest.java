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
class LinkApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("GET /v1/links shows each link's quota, its origin and the share of every lease on it")
    void list() throws Exception {
        var reply = api.get("/v1/links");

        assertThat(reply.status()).isEqualTo(200);
        JsonObject link = reply.json().getJsonArray("links").getJsonObject(0);
        assertThat(link.getString("from")).isEqualTo("eu-west");
        assertThat(link.getString("bandwidth")).isEqualTo("20MiB/s");
        assertThat(link.getLong("bytesPerSecond")).isEqualTo(20971520L);
        assertThat(link.getString("origin")).isEqualTo("schedule");
        assertThat(link.getJsonArray("leases").getJsonObject(0).getLong("shareBytesPerSecond"))
                .isEqualTo(20971520L);
    }

    @Test
    @DisplayName("PUT /v1/links/{from}/{to} passes the bandwidth and who asked to the service")
    void set() throws Exception {
        var reply = api.put("/v1/links/eu-west/us-east", "{\"bandwidth\":\"5MiB/s\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("origin")).isEqualTo("api");
        assertThat(api.links.lastLinkChange).startsWith("eu-west|us-east|5MiB/s|anonymous@127.0.0.1");
    }

    @Test
    @DisplayName("a PUT without a bandwidth is a 400 naming the field; an unknown region is a 404")
    void badChanges() throws Exception {
        var missing = api.put("/v1/links/eu-west/us-east", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error().getString("message")).contains("bandwidth");

        var unknown = api.put("/v1/links/mars/us-east", "{\"bandwidth\":\"5MiB/s\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error().getString("message")).contains("mars");
    }
}
