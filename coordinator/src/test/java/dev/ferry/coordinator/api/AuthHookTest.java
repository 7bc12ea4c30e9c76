package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.security.Access;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AuthHookTest {

    private final Map<String, Access> seen = new ConcurrentHashMap<>();
    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        Handler<RoutingContext> record = ctx -> {
            seen.put(ctx.request().path(), Access.of(ctx));
            ctx.next();
        };
        Handler<RoutingContext> onlyWorkers = ctx -> {
            if (Access.of(ctx) == Access.WORKER) {
                ctx.next();
            } else {
                ctx.fail(new ApiException(401, "unauthorized", "a bearer token is required"));
            }
        };
        api = ApiHarness.start(vertx, List.of(record, onlyWorkers));
    }

    @Test
    @DisplayName("auth hooks see each route's access level and can refuse with the error shape")
    void hooksGuardRoutes() throws Exception {
        var status = api.get("/v1/status");
        assertThat(status.status()).isEqualTo(401);
        assertThat(status.error().getString("code")).isEqualTo("unauthorized");

        assertThat(api.post("/v1/policies/apps/sync", null).status()).isEqualTo(401);
        assertThat(api.post("/v1/leases/l-1/renew", "{\"bytesDone\":1}").status())
                .isEqualTo(200);

        assertThat(seen)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "/v1/status", Access.VIEWER,
                        "/v1/policies/apps/sync", Access.OPERATOR,
                        "/v1/leases/l-1/renew", Access.WORKER));
    }

    @Test
    @DisplayName("health probes bypass the auth hooks")
    void probesAreOpen() throws Exception {
        assertThat(api.get("/health/live").status()).isEqualTo(200);
        assertThat(api.get("/health/ready").status()).isEqualTo(200);
        assertThat(seen).isEmpty();
    }
}
