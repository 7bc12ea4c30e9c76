package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.ApiToken;
import dev.ferry.coordinator.security.Access;
import dev.ferry.coordinator.security.AdminOps;
import dev.ferry.coordinator.security.Authenticator;
import dev.ferry.coordinator.security.Role;
import dev.ferry.coordinator.security.TokenBook;
import dev.ferry.coordinator.security.TokenHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every route, called with every role, no token and a bad token: 401, 403 or through, as declared. */
@ExtendWith(VertxExtension.class)
class RouteRolesTest {

    private final Map<Role, String> tokens = new EnumMap<>(Role.class);
    private final List<String> adminActors = new CopyOnWriteArrayList<>();
    private final String expired = TokenHash.newToken(new SecureRandom());
    private Router router;
    private WebClient client;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        List<ApiToken> listed = new ArrayList<>();
        for (Role role : Role.values()) {
            String token = TokenHash.newToken(new SecureRandom());
            tokens.put(role, token);
            listed.add(new ApiToken(role.id() + "-holder", role.id(), TokenHash.sha256(token), null));
        }
        listed.add(new ApiToken(
                "gone", "admin", TokenHash.sha256(expired), Instant.now().minusSeconds(1)));
        Authenticator auth = new Authenticator(new TokenBook(listed, Clock.systemUTC()), null, null);
        router = new ControlApi(
                        ApiHarness.fakes(),
                        List.of(new BearerAuth(auth, false)),
                        recordingAdmin(),
                        "127.0.0.1",
                        ControlApi.Ledger.none())
                .router(vertx);
        HttpServer server =
                ControlApiServer.start(vertx, router, "127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        client = WebClient.create(
                vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
    }

    @Test
    @DisplayName("each route answers 401 without a valid token, 403 below its role, and serves the roles it declares")
    void everyRouteWithEveryRole() throws Exception {
        int checked = 0;
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null) {
                continue;
            }
            Access access = route.getMetadata(Access.METADATA_KEY);
            assertThat(access)
                    .as("route %s declares its access level", route.getPath())
                    .isNotNull();
            String path = route.getPath().replaceAll(":[A-Za-z0-9_]+", "x");
            for (HttpMethod method : route.methods()) {
                String what = method + " " + path;
                if (access == Access.PUBLIC) {
                    assertThat(call(method, path, null).statusCode()).as(what).isNotIn(401, 403);
                    continue;
                }
                if (!BearerAuth.TOKEN_LEVELS.contains(access)) {
                    continue; // routes that check their own credentials (webhooks): their own tests cover them
                }
                HttpResponse<Buffer> anonymous = call(method, path, null);
                assertThat(anonymous.statusCode()).as(what + " without a token").isEqualTo(401);
                assertThat(new JsonObject(anonymous.bodyAsString())
                                .getJsonObject("error")
                                .getString("code"))
                        .isEqualTo("unauthorized");
                assertThat(call(method, path, expired).statusCode())
                        .as(what + " with an expired token")
                        .isEqualTo(401);
                assertThat(call(method, path, "fyt_not-a-token").statusCode())
                        .as(what + " with a bad token")
                        .isEqualTo(401);
                for (Role role : Role.values()) {
                    HttpResponse<Buffer> r = call(method, path, tokens.get(role));
                    if (role.permits(access)) {
                        assertThat(r.statusCode()).as(what + " as " + role).isNotIn(401, 403);
                    } else {
                        assertThat(r.statusCode()).as(what + " as " + role).isEqualTo(403);
                        assertThat(new JsonObject(r.bodyAsString())
                                        .getJsonObject("error")
                                        .getString("message"))
                                .contains("has role " + role.id());
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).as("routes times roles").isGreaterThanOrEqualTo(20 * Role.values().length);
    }

    @Test
    @DisplayName("an authenticated caller is the actor by its token name")
    void actorIsTheTokenName() throws Exception {
        assertThat(call(HttpMethod.POST, "/v1/config/reload", tokens.get(Role.ADMIN))
                        .statusCode())
                .isEqualTo(200);
        assertThat(adminActors).containsExactly("admin-holder");
    }

    private HttpResponse<Buffer> call(HttpMethod method, String path, String token) throws Exception {
        var request = client.request(method, path);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        Future<HttpResponse<Buffer>> sent = method == HttpMethod.POST || method == HttpMethod.PUT
                ? request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{}"))
                : request.send();
        return sent.await(10, TimeUnit.SECONDS);
    }

    private AdminOps recordingAdmin() {
        return new AdminOps() {
            @Override
            public Future<Map<String, Object>> mintToken(String actor, String name, String role, Duration ttl) {
                adminActors.add(actor);
                return Future.succeededFuture(Map.of("name", name));
            }

            @Override
            public Future<Map<String, Object>> reloadConfig(String actor) {
                adminActors.add(actor);
                return Future.succeededFuture(Map.of("applied", true));
            }
        };
    }
}
