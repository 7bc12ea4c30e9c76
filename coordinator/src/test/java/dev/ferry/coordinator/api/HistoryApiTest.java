package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.history.TagWrite;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HistoryApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("GET /v1/history answers the writes of a tag, leaving out what is unknown")
    void history() throws Exception {
        api.history.writes.add(new TagWrite(
                "mirror",
                "mirror/app",
                "v1",
                "write",
                null,
                "sha256:" + "a".repeat(64),
                "job-1",
                "r-1",
                "apps",
                "worker:w-1",
                1_767_225_600_123L));

        var reply = api.get("/v1/history?registry=mirror&repository=mirror/app&tag=v1&limit=5");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json())
                .isEqualTo(new JsonObject()
                        .put(
                                "writes",
                                new io.vertx.core.json.JsonArray()
                                        .add(new JsonObject()
                                                .put("registry", "mirror")
                                                .put("repository", "mirror/app")
                                                .put("tag", "v1")
                                                .put("kind", "write")
                                                .put("newDigest", "sha256:" + "a".repeat(64))
                                                .put("job", "job-1")
                                                .put("run", "r-1")
                                                .put("policy", "apps")
                                                .put("actor", "worker:w-1")
                                                .put("time", 1_767_225_600_123L))));
        assertThat(api.history.lastHistoryQuery).isEqualTo("mirror|mirror/app|v1|5");
    }

    @Test
    @DisplayName("GET /v1/history without registry and repository is a 400 that names them")
    void historyNeedsARepository() throws Exception {
        var reply = api.get("/v1/history?registry=mirror");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message")).contains("\"registry\" and \"repository\" are required");
    }
}
