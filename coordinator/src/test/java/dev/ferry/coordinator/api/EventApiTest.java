package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EventApiTest {

    private static final String PUSH = """
      {"events": [{"id": "e1", "action": "push", "target": {"mediaType":
        "application/vnd.oci.image.manifest.v1+json", "repository": "team/app", "tag": "v1",
        "digest": "sha256:aa"}, "request": {"host": "hub.example.com"}}]}""";

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("POST /v1/events/registry with the webhook secret passes the events on and answers a receipt")
    void accepted() throws Exception {
        var reply = api.post("/v1/events/registry", PUSH, Map.of("Authorization", "Bearer hook-secret"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getInteger("received")).isEqualTo(1);
        assertThat(reply.json().getJsonArray("triggered").getString(0)).isEqualTo("apps");
        assertThat(api.events.receivedEvents)
                .singleElement()
                .satisfies(e -> assertThat(e.repository() + ":" + e.tag() + "@" + e.host())
                        .isEqualTo("team/app:v1@hub.example.com"));
    }

    @Test
    @DisplayName("without the secret, or with a wrong one, the answer is 401 and nothing is passed on")
    void unauthenticated() throws Exception {
        var none = api.post("/v1/events/registry", PUSH, Map.of());
        var wrong = api.post("/v1/events/registry", PUSH, Map.of("Authorization", "Bearer guess"));
        var basic = api.post("/v1/events/registry", PUSH, Map.of("Authorization", "Basic aG9vay1zZWNyZXQ="));

        assertThat(none.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(basic.status()).isEqualTo(401);
        assertThat(wrong.error().getString("message")).doesNotContain("guess");
        assertThat(api.events.receivedEvents).isEmpty();
    }

    @Test
    @DisplayName("a malformed envelope is a 400 that names the bad place, and nothing of it is passed on")
    void malformed() throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer hook-secret");
        var notJson = api.post("/v1/events/registry", "{events:", auth);
        var noTarget = api.post("/v1/events/registry", """
        {"events": [{"action": "push", "target": {"repository": "a", "tag": "v1"}}, {"action": "push"}]}""", auth);
        var noRepository = api.post("/v1/events/registry", """
        {"events": [{"action": "push", "target": {"tag": "v1"}}]}""", auth);

        assertThat(notJson.status()).isEqualTo(400);
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(noTarget.error().getString("message")).isEqualTo("events[1].target must be an object");
        assertThat(noRepository.error().getString("message")).isEqualTo("events[0].target.repository is required");
        assertThat(api.events.receivedEvents).isEmpty();
    }

    @Test
    @DisplayName("a body nested deeper than the JSON parser allows is a 400 that says so, not a 500")
    void nestedTooDeep() throws Exception {
        String deep = "{\"events\": " + "[".repeat(1_001) + "]".repeat(1_001) + "}";

        var reply = api.post("/v1/events/registry", deep, Map.of("Authorization", "Bearer hook-secret"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("code")).isEqualTo("bad_request");
        assertThat(reply.error().getString("message"))
                .isEqualTo(
                        "the body exceeds the JSON parser's limits (nesting"
                                + " deeper than 1000 levels, or a number or string too long); a registry notification is a shallow object");
        assertThat(api.events.receivedEvents).isEmpty();
    }
}
