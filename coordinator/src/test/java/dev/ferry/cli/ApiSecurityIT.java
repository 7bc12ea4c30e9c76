package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real coordinator process with TLS, mTLS for workers and tokens made by {@code ferry certs
 * init} and {@code ferry token create}; a real worker process and {@code ferry ctl} over
 * https; a replication into a registry with a password; then a scan of everything produced
 * for the passwords and tokens.
 */
class ApiSecurityIT {

    private static final String PASSWORD = "mirror-Pw-4711-secret";
    /** Everything Ferry logs, so the scan sees debug lines too. */
    private static final List<String> VERBOSE = List.of("-DFERRY_LOG_LEVEL=DEBUG");

    private static final List<String> ROLES = List.of("admin", "operator", "viewer", "worker");

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.basicAuth("ci", PASSWORD);

    private final List<Process> processes = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final SecretScan scan = new SecretScan().secret("registry password", PASSWORD);
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private HttpClient https;
    private String base;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    @DisplayName("a worker and ferry ctl replicate over https with tokens; 401, 403 and mTLS hold; no secret leaks")
    void secureReplication(@TempDir Path dir) throws Exception {
        Path tls = dir.resolve("tls");
        FerryProcess.Result certs = ferry("certs", "init", "--out", tls.toString());
        assertThat(certs.exitCode()).as(certs.stderr()).isZero();
        StringBuilder entries = new StringBuilder();
        for (String role : ROLES) {
            FerryProcess.Result created = ferry(
                    "token",
                    "create",
                    "--role",
                    role,
                    "--name",
                    role + "-it",
                    "--out",
                    dir.resolve(role + ".token").toString());
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            String entry = created.stdout()
                    .lines()
                    .filter(l -> l.startsWith("- {"))
                    .findFirst()
                    .orElseThrow();
            entries.append("    ").append(entry).append('\n');
            tokens.put(role, Files.readString(dir.resolve(role + ".token")).strip());
            scan.secret(role + " token", tokens.get(role));
        }
        String tokenKey = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        Files.writeString(dir.resolve("token.key"), tokenKey);
        scan.secret("token key", tokenKey);
        Files.writeString(dir.resolve("mirror.pw"), PASSWORD + "\n");
        Path schedule = dir.resolve("schedule.yaml");
        String valid = """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - name: mirror
            url: "%s"
            insecure: true
            credentials: { username: ci, passwordFile: mirror.pw }
        policies:
          - name: apps
            source: { registry: source, repositories: ["sec/*"] }
            targets: [ { registry: mirror, prefix: "m/" } ]
            trigger: { manual: true }
        api:
          tls: { cert: tls/server.crt, key: tls/server.key, clientCa: tls/ca.crt }
          tokenKeyFile: token.key
          tokens:
        """.formatted(source.url(), mirror.url()) + entries;
        Files.writeString(schedule, valid);
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("sec/app", "v1", 301, 1200);

        int port = FreePort.forListener();
        base = "https://127.0.0.1:" + port;
        https = HttpClient.newBuilder()
                .sslContext(PemTrust.sslContext(tls.resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        processes.add(FerryProcess.start(
                dir.resolve("coordinator.log"),
                VERBOSE,
                "coordinator",
                "--config",
                schedule.toString(),
                "--api",
                "127.0.0.1:" + port,
                "--cluster-port",
                String.valueOf(FreePort.forListener()),
                "--cluster-name",
                "ferry-it-" + UUID.randomUUID(),
                "--data-dir",
                dir.resolve("data").toString()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> call("GET", "/health/ready", null, null).statusCode() == 200);
        processes.add(FerryProcess.start(
                dir.resolve("worker.log"),
                VERBOSE,
                "worker",
                "--coordinator",
                base,
                "--region",
                "eu",
                "--token-file",
                dir.resolve("worker.token").toString(),
                "--ca-file",
                tls.resolve("ca.crt").toString(),
                "--cert",
                tls.resolve("client.crt").toString(),
                "--key",
                tls.resolve("client.key").toString()));

        FerryProcess.Result sync = ctl(dir, "operator", "sync", "--policy", "apps", "--wait");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
        assertThat(new Skopeo()
                        .withCreds("ci", PASSWORD)
                        .exists("docker://" + mirror.registry().host() + "/m/sec/app:v1"))
                .isTrue();

        // 401 without a valid token, 403 below the route's role, with the JSON error shape.
        assertError(call("GET", "/v1/status", null, null), 401, "unauthorized");
        assertError(call("GET", "/v1/status", "fyt_wrong", null), 401, "unauthorized");
        assertThat(call("GET", "/v1/status", tokens.get("viewer"), null).statusCode())
                .isEqualTo(200);
        assertError(call("GET", "/v1/status", tokens.get("worker"), null), 403, "forbidden");
        assertError(call("POST", "/v1/policies/apps/sync", tokens.get("viewer"), "{}"), 403, "forbidden");
        HttpResponse<String> noCert =
                call("POST", "/v1/workers/intruder/leases", tokens.get("worker"), "{\"capacity\":1,\"waitSeconds\":0}");
        assertError(noCert, 403, "forbidden");
        assertThat(noCert.body()).contains("client certificate");

        FerryProcess.Result viewerSync = ctl(dir, "viewer", "sync", "--policy", "apps");
        assertThat(viewerSync.exitCode()).isEqualTo(1);
        assertThat(viewerSync.stderr()).contains("has role viewer");
        FerryProcess.Result anonymous = ferry(
                "ctl", "--server", base, "--ca-file", tls.resolve("ca.crt").toString(), "status");
        assertThat(anonymous.exitCode()).isNotZero();
        assertThat(anonymous.stderr()).contains("bearer token is required");
        FerryProcess.Result untrusted = ferry(
                "ctl",
                "--server",
                base,
                "--token-file",
                dir.resolve("viewer.token").toString(),
                "status");
        assertThat(untrusted.exitCode())
                .as("without --ca-file the private CA is not trusted")
                .isNotZero();

        // A minted short-lived token works at once; only an admin may mint.
        HttpResponse<String> minted = call(
                "POST", "/v1/tokens", tokens.get("admin"), "{\"name\":\"ci-job\",\"role\":\"viewer\",\"ttl\":\"10m\"}");
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
        String mintedToken = json.readTree(minted.body()).path("token").asText();
        scan.secret("minted token", mintedToken);
        assertThat(call("GET", "/v1/policies", mintedToken, null).statusCode()).isEqualTo(200);
        assertError(
                call("POST", "/v1/tokens", tokens.get("operator"), "{\"name\":\"x\",\"role\":\"admin\"}"),
                403,
                "forbidden");

        // An invalid schedule is refused and the running one stays; a valid one is swapped in.
        Files.writeString(schedule, valid.replace("registry: mirror, prefix", "registry: nowhere, prefix"));
        HttpResponse<String> refused = call("POST", "/v1/config/reload", tokens.get("admin"), null);
        assertError(refused, 422, "invalid_config");
        assertThat(refused.body()).contains("schedule.yaml:");
        assertThat(call("GET", "/v1/policies", tokens.get("viewer"), null).statusCode())
                .isEqualTo(200);
        Files.writeString(schedule, valid);
        HttpResponse<String> reloaded = call("POST", "/v1/config/reload", tokens.get("admin"), null);
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        HttpResponse<String> metrics = call("GET", "/metrics", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        scan.output("GET /metrics", metrics.body());

        stop();
        processes.clear();
        String log = Files.readString(dir.resolve("coordinator.log"));
        assertThat(log)
                .contains("audit: token.mint token/ci-job by admin-it")
                .contains("audit: config.reload.refused schedule by admin-it")
                .contains("audit: config.reload schedule by admin-it");
        scan.file("coordinator log", dir.resolve("coordinator.log")).file("worker log", dir.resolve("worker.log"));
        assertThat(scan.outputCount()).isGreaterThan(15);
        scan.assertNoLeaks();
    }

    @Test
    @DisplayName(
            "without tokens the API refuses a non-loopback bind; with TLS and tokens standalone's own worker works")
    void devModeAndStandalone(@TempDir Path dir) throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("solo/app", "v1", 302, 900);
        Files.writeString(dir.resolve("mirror.pw"), PASSWORD + "\n");
        String registries = """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true, credentials: { username: ci, passwordFile: mirror.pw } }
        policies:
          - name: solo
            source: { registry: source, repositories: ["solo/*"] }
            targets: [ { registry: mirror, prefix: "s/" } ]
            trigger: { manual: true }
        """.formatted(source.url(), mirror.url());
        Path open = Files.writeString(dir.resolve("open.yaml"), registries);

        FerryProcess.Result refused = ferry(
                "standalone",
                "--config",
                open.toString(),
                "--api",
                "0.0.0.0:" + FreePort.forListener(),
                "--data-dir",
                dir.resolve("d1").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr())
                .contains("refusing to serve the control API on 0.0.0.0")
                .contains("api.tokens");

        assertThat(ferry("certs", "init", "--out", dir.resolve("tls").toString())
                        .exitCode())
                .isZero();
        FerryProcess.Result viewer = ferry("token", "create", "--role", "viewer");
        String entry = viewer.stdout()
                .lines()
                .filter(l -> l.startsWith("- {"))
                .findFirst()
                .orElseThrow();
        scan.secret("viewer token", viewer.stdout().lines().findFirst().orElseThrow());
        Path secured = Files.writeString(dir.resolve("secured.yaml"), registries + """
        api:
          tls: { cert: tls/server.crt, key: tls/server.key }
          tokens:
            %s
        """.formatted(entry));
        FerryProcess.Result once = ferry(
                "standalone",
                "--config",
                secured.toString(),
                "--once",
                "--api",
                "0.0.0.0:" + FreePort.forListener(),
                "--data-dir",
                dir.resolve("d2").toString());
        assertThat(once.exitCode()).as(once.stdout() + once.stderr()).isZero();
        assertThat(new Skopeo()
                        .withCreds("ci", PASSWORD)
                        .exists("docker://" + mirror.registry().host() + "/s/solo/app:v1"))
                .isTrue();
        scan.output("standalone stdout", once.stdout())
                .output("standalone stderr", once.stderr())
                .output("refused stderr", refused.stderr());
        scan.assertNoLeaks();
    }

    private FerryProcess.Result ferry(String... args) throws Exception {
        FerryProcess.Result r = FerryProcess.run(VERBOSE, args);
        String what = String.join(" ", args);
        if (!what.startsWith("token create")) {
            scan.output("ferry " + what + " stdout", r.stdout());
        }
        scan.output("ferry " + what + " stderr", r.stderr());
        return r;
    }

    private FerryProcess.Result ctl(Path dir, String role, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "ctl",
                "--server",
                base,
                "--token-file",
                dir.resolve(role + ".token").toString(),
                "--ca-file",
                dir.resolve("tls").resolve("ca.crt").toString()));
        args.addAll(List.of(command));
        return ferry(args.toArray(String[]::new));
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = https.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (!path.equals("/v1/tokens")) {
            scan.output(
                    method + " " + path + " -> " + r.statusCode(),
                    r.body() + r.headers().map());
        }
        return r;
    }

    private void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
    }
}
