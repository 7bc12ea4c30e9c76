package dev.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.coordinator.health.RouteView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiRouteSourceTest {

    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    private record Reply(int status, String etag, String body) {}

    private String serve(Function<HttpExchange, Reply> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.put("uri", ex.getRequestURI().toString());
            seen.put("auth", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            seen.put("ifNoneMatch", String.valueOf(ex.getRequestHeaders().getFirst("If-None-Match")));
            Reply r = handler.apply(ex);
            if (r.etag() != null) {
                ex.getResponseHeaders().add("ETag", r.etag());
            }
            byte[] body = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.status(), r.status() == 304 ? -1 : body.length);
            if (r.status() != 304) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void readsTheRouteAndItsEtagAndSendsTheTokenAndTheLongPoll() throws Exception {
        RouteView view = Routes.route(
                "ci", "mirror-a", List.of(), "mirror-a=http://127.0.0.1:5101", "hub=http://127.0.0.1:5100");
        String json = new ObjectMapper().writeValueAsString(view);
        String url = serve(ex -> new Reply(200, "\"abc\"", json));
        RouteSource.Answer a = new ApiRouteSource(url, () -> "s3cret", null).poll("ci", null, Duration.ofSeconds(60));
        assertThat(a.route()).isEqualTo(view);
        assertThat(a.etag()).isEqualTo("\"abc\"");
        assertThat(seen)
                .containsEntry("uri", "/v1/routes/ci")
                .containsEntry("auth", "Bearer s3cret")
                .containsEntry("ifNoneMatch", "null");

        new ApiRouteSource(url, null, null).poll("ci", "\"abc\"", Duration.ofSeconds(45));
        assertThat(seen)
                .containsEntry("uri", "/v1/routes/ci?wait=45")
                .containsEntry("ifNoneMatch", "\"abc\"")
                .containsEntry("auth", "null");
    }

    @Test
    void notModifiedIsNoAnswer() throws Exception {
        String url = serve(ex -> new Reply(304, "\"abc\"", null));
        assertThat(new ApiRouteSource(url, null, null).poll("ci", "\"abc\"", Duration.ofSeconds(1)))
                .isNull();
    }

    @Test
    void refusalsAndBadBodiesAreErrorsThatNameTheServerButNeverTheToken() throws Exception {
        String[] body = {"{\"error\":{\"code\":\"unauthorized\",\"message\":\"a valid bearer token is required\"}}"};
        int[] status = {401};
        String url = serve(ex -> new Reply(status[0], null, body[0]));
        ApiRouteSource source = new ApiRouteSource(url, () -> "s3cret", null);
        assertThatThrownBy(() -> source.poll("ci", null, Duration.ZERO))
                .isInstanceOf(RouteFetchException.class)
                .hasMessage("route ci: " + url + " answered 401: a valid bearer token is required")
                .satisfies(e -> assertThat(((RouteFetchException) e).status()).isEqualTo(401));
        status[0] = 200;
        body[0] = "{\"name\":";
        assertThatThrownBy(() -> source.poll("ci", null, Duration.ZERO))
                .hasMessage("route ci: " + url + " answered 200 with a body that is not a route");
        body[0] = new ObjectMapper()
                .writeValueAsString(Routes.route("other", "hub", List.of(), "hub=http://127.0.0.1:5100"));
        assertThatThrownBy(() -> source.poll("ci", null, Duration.ZERO))
                .hasMessage("route ci: " + url + " answered with another route (other)");
    }

    @Test
    void anUnreachableServerAndAnUnreadableTokenAreErrors() throws Exception {
        String url = serve(ex -> new Reply(200, null, "{}"));
        server.stop(0);
        server = null;
        assertThatThrownBy(() -> new ApiRouteSource(url, null, null).poll("ci", null, Duration.ZERO))
                .hasMessageStartingWith("route ci: cannot reach " + url + ": ");
        assertThatThrownBy(() -> new ApiRouteSource(
                                url,
                                () -> {
                                    throw new IllegalStateException(
                                            "cannot use --token-file: /run/token is not a regular file");
                                },
                                null)
                        .poll("ci", null, Duration.ZERO))
                .hasMessage("route ci: cannot use --token-file: /run/token is not a regular file");
    }

    @Test
    void theServerMustBeAnHttpUrl() {
        assertThat(ApiRouteSource.checkServer("https://ferry-api:8080")).isEqualTo("https://ferry-api:8080");
        assertThatThrownBy(() -> ApiRouteSource.checkServer("ferry-api:8080"))
                .hasMessage("--server must be http://HOST:PORT or https://HOST:PORT, not ferry-api:8080");
    }
}
