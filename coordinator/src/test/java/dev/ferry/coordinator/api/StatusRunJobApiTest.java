package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.run.RunViews;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
class StatusRunJobApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("GET /v1/status shows members, workers, queues and active runs")
    void status() throws Exception {
        var reply = api.get("/v1/status");

        assertThat(reply.status()).isEqualTo(200);
        JsonObject status = reply.json();
        assertThat(status.getString("member")).isEqualTo("m-1");
        assertThat(status.getJsonArray("members")).containsExactly("m-1", "m-2");
        assertThat(status.getJsonArray("workers").getJsonObject(0))
                .isEqualTo(new JsonObject()
                        .put("id", "w-1")
                        .put("region", "us-east")
                        .put("lastSeen", "2025-03-01T10:05:30.250Z")
                        .put("leases", 2));
        assertThat(status.getJsonObject("queues"))
                .isEqualTo(new JsonObject().put("high", new JsonObject().put("queued", 1)));
        assertThat(status.getJsonArray("activeRuns").getJsonObject(0).getString("run"))
                .isEqualTo("r-2");
        assertThat(status.getBoolean("ready")).isTrue();
    }

    @Test
    @DisplayName("an unexpected failure answers 500 'internal' and keeps the exception text out of the answer")
    void internalErrorsAreGeneric() throws Exception {
        api.status.statusFailure = new IllegalStateException("cannot reach https://ci:hunter2@registry.example.com");

        var reply = api.get("/v1/status");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.error().getString("code")).isEqualTo("internal");
        assertThat(reply.error().getString("message"))
                .startsWith("internal error;")
                .doesNotContain("hunter2", "registry");
    }

    @Test
    @DisplayName("GET /v1/runs/{id} answers the run, or 404 naming it")
    void runs() throws Exception {
        var found = api.get("/v1/runs/r-1");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json())
                .isEqualTo(new JsonObject()
                        .put("run", "r-1")
                        .put("policy", "apps")
                        .put("state", "succeeded")
                        .put("counts", new JsonObject().put("planned", 3).put("succeeded", 3))
                        .put("startedAt", "2025-03-01T10:00:00Z")
                        .put("endedAt", "2025-03-01T10:05:30.250Z")
                        .putNull("error")
                        .put("warnings", new io.vertx.core.json.JsonArray()));

        var missing = api.get("/v1/runs/r-404");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error().getString("message")).isEqualTo("run \"r-404\" not found");
    }

    @Test
    @DisplayName("POST /v1/runs/{id}/cancel passes who asked; an unknown run is a 404, an ended one a 409")
    void cancel() throws Exception {
        api.runs.runs.put("r-2", FakeRuns.running("apps"));
        var reply = api.post("/v1/runs/r-2/cancel", "");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("state")).isEqualTo("cancelling");
        assertThat(api.runs.lastCancel).startsWith("r-2|anonymous@");

        assertThat(api.post("/v1/runs/r-404/cancel", "").status()).isEqualTo(404);
        var ended = api.post("/v1/runs/r-1/cancel", "");
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.error().getString("code")).isEqualTo("run_ended");
    }

    @Test
    @DisplayName("GET /v1/jobs without filters asks for any job, at most 100")
    void jobsDefaults() throws Exception {
        var reply = api.get("/v1/jobs");

        assertThat(reply.status()).isEqualTo(200);
        JsonArray jobs = new JsonArray(reply.body());
        assertThat(jobs).hasSize(1);
        assertThat(jobs.getJsonObject(0).getString("target")).isEqualTo("mirror-us/mirror/team/api:v1");
        assertThat(jobs.getJsonObject(0).getLong("fencingToken")).isZero();
        assertThat(api.runs.lastJobQuery).isEqualTo(new RunViews.JobQuery(null, null, null, 100));
    }

    @Test
    @DisplayName("GET /v1/jobs passes state, policy, tier and limit to the service; empty means any")
    void jobsFilters() throws Exception {
        assertThat(api.get("/v1/jobs?state=failed&policy=apps&tier=bulk&limit=1000")
                        .status())
                .isEqualTo(200);
        assertThat(api.runs.lastJobQuery).isEqualTo(new RunViews.JobQuery("failed", "apps", "bulk", 1000));

        assertThat(api.get("/v1/jobs?state=&tier=&limit=1").status()).isEqualTo(200);
        assertThat(api.runs.lastJobQuery).isEqualTo(new RunViews.JobQuery(null, null, null, 1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "state=done | query parameter \"state\" must be one of queued, leased, succeeded, failed, conflict, rejected, held, cancelled; got \"done\"",
                "tier=urgent | query parameter \"tier\" must be one of critical, high, normal, bulk; got \"urgent\"",
                "limit=0 | query parameter \"limit\" must be an integer from 1 to 1000; got 0",
                "limit=1001 | query parameter \"limit\" must be an integer from 1 to 1000; got 1001",
                "limit=ten | query parameter \"limit\" must be an integer from 1 to 1000; got \"ten\"",
                "state=failed&state=held | query parameter \"state\" is given 2 times; give it once",
                "states=failed | unknown query parameter \"states\"; allowed: state, policy, tier, limit",
            })
    @DisplayName("GET /v1/jobs refuses bad filters with 400 naming the parameter and what it allows")
    void jobsBadFilters(String query, String message) throws Exception {
        var reply = api.get("/v1/jobs?" + query);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("code")).isEqualTo("bad_request");
        assertThat(reply.error().getString("message")).isEqualTo(message);
    }
}
