package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
class PolicyApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("GET /v1/policies lists the policies as JSON")
    void listsPolicies() throws Exception {
        var reply = api.get("/v1/policies");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(new JsonArray(reply.body()))
                .containsExactly(new JsonObject()
                        .put("name", "apps")
                        .put("tier", "high")
                        .put("trigger", "every 5m")
                        .put("paused", false)
                        .put("source", "hub-eu/team/*")
                        .put("targets", new JsonArray().add("mirror-us"))
                        .put("lastRun", "r-1"));
    }

    @Test
    @DisplayName("a sync without wait answers 202 with the started run, times as ISO-8601")
    void syncAccepted() throws Exception {
        var reply = api.post("/v1/policies/apps/sync", null);

        assertThat(reply.status()).isEqualTo(202);
        JsonObject run = reply.json();
        assertThat(run.getString("run")).isEqualTo("r-2");
        assertThat(run.getString("policy")).isEqualTo("apps");
        assertThat(run.getString("state")).isEqualTo("running");
        assertThat(run.getJsonObject("counts")).isEqualTo(new JsonObject().put("planned", 2));
        assertThat(run.getValue("startedAt")).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(run.containsKey("endedAt")).isTrue();
        assertThat(run.getValue("endedAt")).isNull();
    }

    @Test
    @DisplayName("a sync of an unknown policy answers 404 in the error shape")
    void syncUnknownPolicy() throws Exception {
        var reply = api.post("/v1/policies/x/sync", null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json())
                .isEqualTo(new JsonObject()
                        .put(
                                "error",
                                new JsonObject().put("code", "not_found").put("message", "policy \"x\" not found")));
    }

    @Test
    @DisplayName("a sync with wait=true answers 200 only when the run has ended")
    void syncWaitsForTheRun() throws Exception {
        var pending = api.send(HttpMethod.POST, "/v1/policies/apps/sync?wait=true", null);

        Thread.sleep(300);
        assertThat(pending.isComplete()).as("answered before the run ended").isFalse();
        assertThat(api.runs.syncPending()).isTrue();
        assertThat(api.get("/v1/runs/r-1").status())
                .as("other requests are served meanwhile")
                .isEqualTo(200);

        api.runs.completeSync(FakeRuns.ended("apps"));
        var reply = ApiHarness.await(pending);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("state")).isEqualTo("succeeded");
        assertThat(reply.json().getString("endedAt")).isEqualTo("2025-03-01T10:05:30.250Z");
    }

    @Test
    @DisplayName("a client that leaves during wait=true is dropped quietly and the server goes on")
    void clientLeavesDuringWait(Vertx vertx) throws Exception {
        Logger apiLog = (Logger) LoggerFactory.getLogger("dev.ferry.coordinator.api");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level before = apiLog.getLevel();
        apiLog.setLevel(Level.DEBUG);
        apiLog.addAppender(events);
        NetSocket socket =
                vertx.createNetClient().connect(api.port, "127.0.0.1").await(10, TimeUnit.SECONDS);
        socket.write("POST /v1/policies/apps/sync?wait=true HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
                .await(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(api.runs::syncPending);
        socket.close().await(10, TimeUnit.SECONDS);
        Thread.sleep(200);

        api.runs.completeSync(FakeRuns.ended("apps"));
        Thread.sleep(200);

        assertThat(api.runs.syncPending()).isFalse();
        assertThat(api.get("/v1/policies").status()).isEqualTo(200);
        apiLog.detachAppender(events);
        apiLog.setLevel(before);
        assertThat(events.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .contains("client of POST /v1/policies/apps/sync went away before the answer was ready");
        assertThat(events.list).allMatch(e -> e.getLevel() == Level.DEBUG);
    }

    @Test
    @DisplayName("wait must be true or false")
    void waitMustBeBoolean() throws Exception {
        var reply = api.post("/v1/policies/apps/sync?wait=yes", null);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("code")).isEqualTo("bad_request");
        assertThat(reply.error().getString("message"))
                .isEqualTo("query parameter \"wait\" must be true or false; got \"yes\"");
    }

    @Test
    @DisplayName("a misspelt query parameter is refused rather than ignored")
    void unknownQueryParameter() throws Exception {
        var reply = api.post("/v1/policies/apps/sync?wiat=true", null);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message")).isEqualTo("unknown query parameter \"wiat\"; allowed: wait");
    }

    @Test
    @DisplayName("pause and resume answer the updated policy")
    void pauseAndResume() throws Exception {
        var paused = api.post("/v1/policies/apps/pause", null);
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().getBoolean("paused")).isTrue();

        var resumed = api.post("/v1/policies/apps/resume", "");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().getBoolean("paused")).isFalse();
    }

    @Test
    @DisplayName("pausing or resuming an unknown policy answers 404")
    void pauseUnknown() throws Exception {
        assertThat(api.post("/v1/policies/nope/pause", null).error().getString("message"))
                .isEqualTo("policy \"nope\" not found");
        assertThat(api.post("/v1/policies/nope/resume", null).status()).isEqualTo(404);
    }
}
