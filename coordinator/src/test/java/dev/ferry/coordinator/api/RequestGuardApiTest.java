package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a web page in a local browser can make a loopback API do (nothing), over real HTTP. */
@ExtendWith(VertxExtension.class)
class RequestGuardApiTest {

    private ApiHarness api;
    private String local;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
        local = "Host: 127.0.0.1:" + api.port;
    }

    private boolean paused() throws Exception {
        return new io.vertx.core.json.JsonArray(api.get("/v1/policies").body())
                .getJsonObject(0)
                .getBoolean("paused");
    }

    @Test
    @DisplayName("a DNS-rebinding Host is refused with 403 on every route, health included, and changes nothing")
    void foreignHost() throws Exception {
        var status = RawHttp.send(api.port, "GET", "/v1/status", null, "Host: evil.example:8080");
        var pause = RawHttp.send(api.port, "POST", "/v1/policies/apps/pause", null, "Host: evil.example:8080");
        var live = RawHttp.send(api.port, "GET", "/health/live", null, "Host: evil.example");
        var lan = RawHttp.send(api.port, "GET", "/health/live", null, "Host: 10.0.0.7:" + api.port);
        var none = RawHttp.send(api.port, "GET", "/health/live", null);

        for (var refused : java.util.List.of(status, pause, live, lan)) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.error().getString("code")).isEqualTo("forbidden_host");
        }
        assertThat(pause.error().getString("message"))
                .isEqualTo(
                        "Host \"evil.example:8080\" does not name this API;"
                                + " this API listens on loopback and answers to 127.0.0.1, localhost and loopback addresses only");
        assertThat(none.status()).isEqualTo(400); // HTTP/1.1 without Host: the HTTP layer refuses it first
        assertThat(paused()).isFalse();
    }

    @Test
    @DisplayName("loopback names and addresses are this API's own hosts")
    void loopbackHosts() throws Exception {
        for (String host : new String[] {
            local,
            "Host: localhost:" + api.port,
            "Host: LOCALHOST",
            "Host: [::1]:" + api.port,
            "Host: 127.0.0.2",
            "Host: ferry.localhost:" + api.port
        }) {
            assertThat(RawHttp.send(api.port, "GET", "/health/live", null, host).status())
                    .as(host)
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a cross-origin request is refused with 403; the API's own origin passes")
    void crossOrigin() throws Exception {
        var foreign = RawHttp.send(
                api.port,
                "POST",
                "/v1/policies/apps/pause",
                "{}",
                local,
                "Origin: http://evil.example",
                "Content-Type: application/json");
        var opaque = RawHttp.send(api.port, "GET", "/v1/status", null, local, "Origin: null");
        var own = RawHttp.send(api.port, "GET", "/v1/status", null, local, "Origin: http://127.0.0.1:" + api.port);

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.error().getString("code")).isEqualTo("forbidden_origin");
        assertThat(foreign.error().getString("message"))
                .isEqualTo(
                        "cross-origin requests are refused: Origin \"http://evil.example\" is not this API's origin");
        assertThat(opaque.status()).isEqualTo(403);
        assertThat(own.status()).isEqualTo(200);
        assertThat(paused()).isFalse();
    }

    @Test
    @DisplayName("a body that is not declared JSON gets 415 with the JSON error and changes nothing")
    void bodiesMustBeJson() throws Exception {
        var plain = RawHttp.send(api.port, "POST", "/v1/policies/apps/pause", "{}", local, "Content-Type: text/plain");
        var form = RawHttp.send(
                api.port,
                "POST",
                "/v1/leases/l-1/renew",
                "{\"bytesDone\":5}",
                local,
                "Content-Type: application/x-www-form-urlencoded");
        var untyped = RawHttp.send(api.port, "POST", "/v1/policies/apps/pause", "{}", local);

        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.head()).containsIgnoringCase("content-type: application/json");
        assertThat(plain.error().getString("code")).isEqualTo("unsupported_media_type");
        assertThat(plain.error().getString("message"))
                .isEqualTo("a request body must be JSON: send Content-Type: application/json (got \"text/plain\")");
        assertThat(form.status()).isEqualTo(415);
        assertThat(untyped.status()).isEqualTo(415);
        assertThat(untyped.error().getString("message"))
                .isEqualTo("a request body must be JSON: send Content-Type: application/json (none was given)");
        assertThat(api.leases.lastRenew).isNull();
        assertThat(paused()).isFalse();
    }

    @Test
    @DisplayName("over HTTP/2 a body without Content-Length is checked once read: text/plain still gets 415")
    void http2BodyWithoutLength(Vertx vertx) throws Exception {
        var client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        var status = client.request(
                        io.vertx.core.http.HttpMethod.POST, api.port, "127.0.0.1", "/v1/policies/apps/pause")
                .compose(request -> {
                    request.setChunked(true).putHeader("Content-Type", "text/plain");
                    return request.send(io.vertx.core.buffer.Buffer.buffer("{}"));
                })
                .map(response -> response.version() + " " + response.statusCode())
                .await(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(status).isEqualTo("HTTP_2 415");
        assertThat(paused()).isFalse();
    }

    @Test
    @DisplayName("JSON bodies, +json types such as registry notifications, and empty POSTs pass")
    void jsonPasses() throws Exception {
        var json = RawHttp.send(
                api.port,
                "POST",
                "/v1/leases/l-1/renew",
                "{\"bytesDone\":5}",
                local,
                "Content-Type: application/json; charset=utf-8");
        var empty = RawHttp.send(api.port, "POST", "/v1/policies/apps/pause", null, local);
        var webhook = RawHttp.send(
                api.port,
                "POST",
                "/v1/events/registry",
                "{\"events\": [{\"action\": \"push\", \"target\": {\"repository\": \"team/app\", \"tag\": \"v1\"}}]}",
                local,
                "Authorization: Bearer hook-secret",
                "Content-Type: application/vnd.docker.distribution.events.v1+json");

        assertThat(json.status()).isEqualTo(200);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(webhook.status()).isEqualTo(200);
        assertThat(api.events.receivedEvents).hasSize(1);
        assertThat(paused()).isTrue();
    }

    @Test
    @DisplayName("an over-long request line gets 414 and over-large headers 431, both with the JSON error")
    void decoderLimits() throws Exception {
        var longUri = RawHttp.send(api.port, "GET", "/v1/jobs?policy=" + "a".repeat(10_000), null, local);
        var bigHeaders = RawHttp.send(api.port, "GET", "/v1/status", null, local, "X-Filler: " + "b".repeat(10_000));

        assertThat(longUri.status()).isEqualTo(414);
        assertThat(longUri.head()).containsIgnoringCase("content-type: application/json");
        assertThat(longUri.error().getString("code")).isEqualTo("uri_too_long");
        assertThat(longUri.error().getString("message")).isEqualTo("the request line is longer than 4096 bytes");
        assertThat(bigHeaders.status()).isEqualTo(431);
        assertThat(bigHeaders.error().getString("code")).isEqualTo("headers_too_large");
        assertThat(bigHeaders.error().getString("message")).isEqualTo("the request headers are larger than 8192 bytes");
    }
}
