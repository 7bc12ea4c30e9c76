package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RoutingErrorsApiTest {

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("an unknown path answers 404 in the error shape")
    void unknownPath() throws Exception {
        var reply = api.get("/v1/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.headers().get("content-type")).isEqualTo("application/json");
        assertThat(reply.json())
                .isEqualTo(new JsonObject()
                        .put("error", new JsonObject().put("code", "not_found").put("message", "no such endpoint")));
    }

    @Test
    @DisplayName("a known path with the wrong method answers 405 in the error shape")
    void wrongMethod() throws Exception {
        var delete = ApiHarness.await(api.send(HttpMethod.DELETE, "/v1/policies", null));
        var getSync = api.get("/v1/policies/apps/sync");

        for (var reply : java.util.List.of(delete, getSync)) {
            assertThat(reply.status()).isEqualTo(405);
            assertThat(reply.json())
                    .isEqualTo(new JsonObject()
                            .put(
                                    "error",
                                    new JsonObject()
                                            .put("code", "method_not_allowed")
                                            .put("message", "method not allowed on this endpoint")));
        }
    }

    @Test
    @DisplayName("endpoints without parameters refuse query parameters")
    void noParametersExpected() throws Exception {
        var reply = api.get("/v1/status?verbose=1");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message"))
                .isEqualTo("unknown query parameter \"verbose\"; this endpoint takes none");
    }
}
