package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FreePort;
import dev.ferry.testing.RawHttp;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's probes against a running standalone: a backtracking tag regex, a web page in a
 * local browser, a reload that would drop every token, and bodies or requests past the limits.
 */
class HostileInputIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private static final String HOOK_SECRET = "hook-Secret-22";

    private final Skopeo skopeo = new Skopeo();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Path schedule(Path dir, String include, String api) throws Exception {
        Files.writeString(dir.resolve("hook.secret"), HOOK_SECRET);
        return StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - name: apps
            source: { registry: source, repositories: ["hostile/*"], tags: { include: ['%s'] } }
            targets: [ { registry: mirror, prefix: "mirror/" } ]
        %s""".formatted(include, api));
    }

    private HttpResponse<String> call(String method, String url, String token) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBacktrackingTagRegexNeitherFreezesTheApiNorStallsTheSync(@TempDir Path dir) throws Exception {
        String hostile = "a".repeat(50) + "-";
        String wanted = "a".repeat(12);
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("hostile/app", hostile, 2201, 500);
        images.pushOciImage("hostile/app", wanted, 2202, 500);
        Path file = schedule(dir, "(.*a){12}", "");

        try (StandaloneServer server = StandaloneServer.start(dir, file)) {
            CompletableFuture<HttpResponse<String>> sync = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(server.url() + "/v1/policies/apps/sync?wait=true"))
                            .timeout(Duration.ofSeconds(300))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> live = call("GET", server.url() + "/health/live", null);
            HttpResponse<String> run = sync.get(300, TimeUnit.SECONDS); // a hang guard, not a timing assertion

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            JsonObject answer = new JsonObject(run.body());
            assertThat(answer.getString("state")).as(run.body()).isEqualTo("succeeded");
            assertThat(call("GET", server.url() + "/health/live", null).statusCode())
                    .isEqualTo(200);
        }
        assertThat(skopeo.exists("docker://" + mirror.host() + "/mirror/hostile/app:" + wanted))
                .isTrue();
        assertThat(skopeo.exists("docker://" + mirror.host() + "/mirror/hostile/app:" + hostile))
                .isFalse();
    }

    @Test
    void aPatternThatNeedsBacktrackingIsRefusedAtItsPlace(@TempDir Path dir) throws Exception {
        Path file = schedule(dir, "(a)\\1", "");

        FerryProcess.Result r = FerryProcess.run("validate", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr())
                .contains(file + ":9:80: policies[0].source.tags.include[0]: invalid regex \"(a)\\1\":"
                        + " invalid escape sequence: `\\1` (Ferry regexes use RE2 syntax, which runs in linear time and has no"
                        + " backreferences, lookaround or possessive quantifiers)");
    }

    @Test
    void aWebPageCannotDriveADevModeApiWhileFerrysOwnClientsStillWork(@TempDir Path dir) throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("hostile/web", "v1", 2203, 500);
        Path file = schedule(dir, "v.*", "");
        Files.writeString(
                file,
                Files.readString(file)
                        .replace(
                                "insecure: true }\n  - { name: mirror",
                                "insecure: true, webhook: { secretFile: hook.secret } }\n  - { name: mirror"));
        int port = FreePort.forListener();
        String local = "Host: 127.0.0.1:" + port;

        try (StandaloneServer server = StandaloneServer.start(dir, file, port)) {
            var rebound = RawHttp.send(port, "POST", "/v1/policies/apps/pause", null, "Host: evil.example:" + port);
            var crossOrigin = RawHttp.send(
                    port,
                    "POST",
                    "/v1/drills",
                    "{\"registry\":\"mirror\"}",
                    local,
                    "Origin: http://evil.example",
                    "Content-Type: text/plain");
            var plainText =
                    RawHttp.send(port, "POST", "/v1/policies/apps/pause", "{}", local, "Content-Type: text/plain");
            var deep = RawHttp.send(
                    port,
                    "POST",
                    "/v1/events/registry",
                    "{\"events\": " + "[".repeat(1_001) + "]".repeat(1_001) + "}",
                    local,
                    "Authorization: Bearer " + HOOK_SECRET,
                    "Content-Type: application/vnd.docker.distribution.events.v1+json");
            var longUri = RawHttp.send(port, "GET", "/v1/jobs?policy=" + "x".repeat(10_000), null, local);
            var bigHeaders = RawHttp.send(port, "GET", "/v1/status", null, local, "X-Filler: " + "y".repeat(10_000));

            assertThat(rebound.status()).isEqualTo(403);
            assertThat(rebound.error().getString("code")).isEqualTo("forbidden_host");
            assertThat(crossOrigin.status()).isEqualTo(403);
            assertThat(crossOrigin.error().getString("code")).isEqualTo("forbidden_origin");
            assertThat(plainText.status()).isEqualTo(415);
            assertThat(plainText.error().getString("code")).isEqualTo("unsupported_media_type");
            assertThat(deep.status()).as(deep.body()).isEqualTo(400);
            assertThat(deep.error().getString("message")).startsWith("the body exceeds the JSON parser's limits");
            assertThat(longUri.status()).isEqualTo(414);
            assertThat(longUri.error().getString("code")).isEqualTo("uri_too_long");
            assertThat(bigHeaders.status()).isEqualTo(431);
            assertThat(bigHeaders.error().getString("code")).isEqualTo("headers_too_large");
            assertThat(new io.vertx.core.json.JsonArray(call("GET", server.url() + "/v1/policies", null)
                                    .body())
                            .getJsonObject(0)
                            .getBoolean("paused"))
                    .isFalse();

            // Ferry's own clients: ctl (JSON bodies), the in-process worker's lease calls, a registry's webhook.
            assertThat(server.ctl("pause", "--policy", "apps").exitCode()).isZero();
            assertThat(server.ctl("resume", "--policy", "apps").exitCode()).isZero();
            var push = RawHttp.send(
                    port,
                    "POST",
                    "/v1/events/registry",
                    """
          {"events": [{"action": "push", "target": {"repository": "hostile/web", "tag": "v1"}}]}""",
                    local,
                    "Authorization: Bearer " + HOOK_SECRET,
                    "Content-Type: application/vnd.docker.distribution.events.v1+json");
            assertThat(push.status()).as(push.body()).isEqualTo(200);
            FerryProcess.Result sync = server.ctl("sync", "--policy", "apps", "--wait");
            assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
            FerryProcess.Result failover = server.ctl("failover", "--registry", "mirror", "--reason", "issue 22 probe");
            assertThat(failover.exitCode())
                    .as(failover.stdout() + failover.stderr())
                    .isZero();
        }
        assertThat(skopeo.exists("docker://" + mirror.host() + "/mirror/hostile/web:v1"))
                .isTrue();
    }

    @Test
    void aReloadThatWouldDropEveryTokenIsRefusedAndTheTokensStay(@TempDir Path dir) throws Exception {
        String token = "ferry-admin-token-for-issue-22";
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        Path file = schedule(dir, "v.*", """
        api:
          tokens: [ { name: root, role: admin, sha256: %s } ]
        """.formatted(sha));

        try (StandaloneServer server = StandaloneServer.start(dir, file)) {
            Files.writeString(file, Files.readString(file).replaceAll("(?s)api:.*", ""));
            HttpResponse<String> reload = call("POST", server.url() + "/v1/config/reload", token);

            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
            assertThat(new JsonObject(reload.body()).getJsonObject("error").getString("message"))
                    .isEqualTo(
                            "the schedule was not reloaded; the running one stays: the new schedule lists no api.tokens, and the"
                                    + " running API requires them: a reload never switches authentication off; to run in dev mode"
                                    + " (loopback only), restart the coordinator with that schedule");
            assertThat(call("GET", server.url() + "/v1/status", null).statusCode())
                    .isEqualTo(401);
            assertThat(call("GET", server.url() + "/v1/status", token).statusCode())
                    .isEqualTo(200);
        }
    }
}
