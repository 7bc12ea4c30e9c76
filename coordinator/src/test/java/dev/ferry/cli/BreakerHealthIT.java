package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes and worker breakers combined: a mirror that answers {@code GET /v2/} but fails every
 * blob upload opens the worker's circuit breaker; the worker reports it with its polls, the
 * coordinator marks the mirror degraded (its probes alone say healthy), and the route moves
 * to the next mirror. Once uploads work again, the report ages out and the route comes back.
 */
class BreakerHealthIT {

    private static final String BLOB_UPLOADS = "/v2/.+/blobs/uploads/.*";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private StandaloneServer server;
    private FaultProxy proxy;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? json.readTree(r.body()) : json.createObjectNode();
    }

    private JsonNode mirrorHealth() throws Exception {
        for (JsonNode r : get("/v1/registries").path("registries")) {
            if (r.path("name").asText().equals("mirror")) {
                return r;
            }
        }
        throw new AssertionError("no registry mirror");
    }

    @Test
    void anOpenWorkerBreakerDegradesARegistryThatStillAnswersProbes(@TempDir Path dir) throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("brk/app", "v1", 81, 1500, 2500);
        proxy = FaultProxy.start(mirror.host());
        Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - name: mirror
            url: "%s"
            insecure: true
            retry: { maxAttempts: 2, initialBackoff: 50ms, maxBackoff: 100ms }
            circuitBreaker: { minimumCalls: 2, openFor: 3s }
        policies:
          - name: apps
            source: { registry: source, repositories: ["brk/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        routes:
          - { name: ci, region: default, mirrors: [mirror, source] }
        failover: { probeInterval: 1s, downAfter: 2, failbackAfter: 1s }
        """.formatted(source.url(), proxy.url()));
        server = StandaloneServer.start(dir, schedule);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get("/v1/routes/ci").path("active").asText(), "mirror"::equals);

        proxy.on("*", BLOB_UPLOADS).respond(503, null);
        assertThat(server.ctl("sync", "--policy", "apps").exitCode()).isZero();
        JsonNode degraded = Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(this::mirrorHealth, r -> r.path("state").asText().equals("degraded"));
        assertThat(degraded.path("reason").asText()).contains("circuit breaker open on worker");
        assertThat(degraded.path("lastProbe").path("ok").asBoolean())
                .as("probes still answer")
                .isTrue();
        // Routes follow within a probe interval.
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get("/v1/routes/ci").path("active").asText(), "source"::equals);
        assertThat(get("/v1/jobs?state=failed")).isEmpty();

        proxy.clear();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> get("/v1/jobs?state=succeeded&policy=apps").size() == 1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get("/v1/routes/ci").path("active").asText(), "mirror"::equals);
        assertThat(mirrorHealth().path("state").asText()).isEqualTo("healthy");
    }
}
