package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.history.Pin;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class RollbackApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("POST /v1/rollback of a tag answers 202 with what is being put back")
    void rollbackOfATag() throws Exception {
        var reply = api.post("/v1/rollback", "{\"registry\":\"mirror\",\"repository\":\"m/app\",\"tag\":\"v1\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().getString("rollback")).isEqualTo("rollback-1");
        assertThat(reply.json().getJsonArray("tags").getJsonObject(0))
                .isEqualTo(new JsonObject()
                        .put("registry", "mirror")
                        .put("repository", "m/app")
                        .put("tag", "v1")
                        .put("from", "sha256:new")
                        .put("to", "sha256:old")
                        .put("job", "job-9"));
        assertThat(api.history.lastRollback).isEqualTo("mirror|m/app|v1|null");
    }

    @Test
    @DisplayName("POST /v1/rollback of a run lists what it skipped; an unknown run is a 404")
    void rollbackOfARun() throws Exception {
        var reply = api.post("/v1/rollback", "{\"run\":\"r-1\"}");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().getJsonArray("skipped").getString(0)).contains("the run created this tag");

        var missing = api.post("/v1/rollback", "{\"run\":\"r-404\"}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error().getString("message")).contains("r-404");
    }

    @Test
    @DisplayName("POST /v1/rollback of a repository takes a time or a run; a bad time or mixed fields are a 400")
    void rollbackOfARepository() throws Exception {
        var at = api.post(
                "/v1/rollback",
                "{\"registry\":\"mirror\",\"repository\":\"m/app\"," + "\"at\":\"2026-12-06T07:00:00Z\"}");
        assertThat(at.status()).isEqualTo(202);
        assertThat(api.history.lastRollback).isEqualTo("repository|mirror|m/app|2026-12-06T07:00:00Z|null");
        var before =
                api.post("/v1/rollback", "{\"registry\":\"mirror\",\"repository\":\"m/app\",\"beforeRun\":\"r-7\"}");
        assertThat(before.status()).isEqualTo(202);
        assertThat(api.history.lastRollback).isEqualTo("repository|mirror|m/app|null|r-7");

        var badTime =
                api.post("/v1/rollback", "{\"registry\":\"mirror\",\"repository\":\"m/app\",\"at\":\"yesterday\"}");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.error().getString("message"))
                .isEqualTo("field \"at\": \"yesterday\" is not an ISO-8601 UTC" + " time such as 2026-12-06T07:00:00Z");
        var both = api.post(
                "/v1/rollback",
                "{\"registry\":\"mirror\",\"repository\":\"m/app\",\"at\":"
                        + "\"2026-12-06T07:00:00Z\",\"beforeRun\":\"r-7\"}");
        assertThat(both.error().getString("message")).isEqualTo("give \"at\" or \"beforeRun\", not both");
        var withTag = api.post(
                "/v1/rollback",
                "{\"registry\":\"mirror\",\"repository\":\"m/app\",\"tag\":\"v1\"," + "\"beforeRun\":\"r-7\"}");
        assertThat(withTag.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"registry\":\"mirror\",\"tag\":\"v1\"}", "{\"run\":\"r-1\",\"tag\":\"v1\"}"})
    @DisplayName("a rollback that names neither one tag nor one run is a 400 that says what to give")
    void badRollbacks(String body) throws Exception {
        var reply = api.post("/v1/rollback", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message")).startsWith("give ");
    }

    @Test
    @DisplayName("GET /v1/pins lists pins; DELETE /v1/pins/{registry} removes one, then 404")
    void pins() throws Exception {
        api.history.pinList.add(new Pin("mirror", "m/app", "v1", "sha256:old", "rollback rollback-1", 5L));

        assertThat(api.get("/v1/pins").json().getJsonArray("pins"))
                .isEqualTo(new JsonArray()
                        .add(new JsonObject()
                                .put("registry", "mirror")
                                .put("repository", "m/app")
                                .put("tag", "v1")
                                .put("digest", "sha256:old")
                                .put("reason", "rollback rollback-1")
                                .put("time", 5)));

        var removed = api.delete("/v1/pins/mirror?repository=m/app&tag=v1");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().getString("digest")).isEqualTo("sha256:old");
        assertThat(api.get("/v1/pins").json().getJsonArray("pins")).isEmpty();
        assertThat(api.delete("/v1/pins/mirror?repository=m/app&tag=v1").status())
                .isEqualTo(404);
        assertThat(api.delete("/v1/pins/mirror?repository=m/app").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("GET /v1/drift lists drifted tags; POST /v1/policies/{name}/verify answers a check's report")
    void drift() throws Exception {
        api.history.drifted.add(new dev.ferry.coordinator.history.Drift(
                "mirror", "m/app", "v1", "apps", "sha256:ours", null, "reported", 7L));

        var listed = api.get("/v1/drift?policy=apps");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().getJsonArray("drift").getJsonObject(0))
                .isEqualTo(new JsonObject()
                        .put("registry", "mirror")
                        .put("repository", "m/app")
                        .put("tag", "v1")
                        .put("policy", "apps")
                        .put("expected", "sha256:ours")
                        .put("action", "reported")
                        .put("detectedAt", 7));
        assertThat(api.get("/v1/drift?policy=nope").status()).isEqualTo(404);

        var checked = api.post("/v1/policies/apps/verify", "");
        assertThat(checked.status()).isEqualTo(200);
        assertThat(checked.json().getInteger("checked")).isEqualTo(3);
        assertThat(checked.json().getJsonArray("drifted")).hasSize(1);
        assertThat(api.post("/v1/policies/nope/verify", "").status()).isEqualTo(404);
    }
}
