package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.BlobRef;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 4: a stall is blamed on the side that stalled. A source that stops sending
 * mid-blob fails the copy with the source's error; the target's breaker and health stay
 * untouched and other copies to it go on. A target that never answers the upload is the
 * target's. Real registries behind {@link FaultProxy}s, {@code ferry copy} and a standalone.
 */
class StallAttributionIT {

    private static final String UPLOADS = "/v2/%s/blobs/uploads/.+";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    private final Skopeo skopeo = new Skopeo();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private FaultProxy proxy(RegistryExtension registry) {
        FaultProxy p = FaultProxy.start(registry.host());
        closing.add(p);
        return p;
    }

    private static BlobRef biggest(SeededImage image) {
        return image.blobs().stream()
                .max((a, b) -> Long.compare(a.size(), b.size()))
                .orElseThrow();
    }

    /** The line {@code ferry copy} ends with on stderr: its error. */
    private static String errorLine(FerryProcess.Result r) {
        return r.stderr()
                .lines()
                .filter(l -> l.startsWith("ferry copy: "))
                .reduce((a, b) -> b)
                .orElse("");
    }

    @Test
    void aSourceThatStopsMidBlobFailsTheCopyNamingTheSourceTheBlobAndTheIdleTimeout() throws Exception {
        SeededImage image =
                TestImages.forRegistry(source.registry()).pushOciImage("stall/src", "v1", 221, 3000, 2_000_000);
        BlobRef big = biggest(image);
        FaultProxy from = proxy(source);
        FaultProxy to = proxy(target);
        from.on("GET", "/v2/stall/src/blobs/" + big.digest()).stallResponseBodyAfter(500_000);

        FerryProcess.Result r = FerryProcess.run(
                "copy",
                "--insecure",
                "--idle-timeout",
                "2s",
                "docker://" + from.hostPort() + "/stall/src:v1",
                "docker://" + to.hostPort() + "/stall/src:v1");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(errorLine(r))
                .startsWith("ferry copy: reading from the source " + from.hostPort() + ": ")
                .contains("GET blob stall/src@" + big.digest())
                .endsWith("no bytes moved for 2s (idle timeout)")
                .doesNotContain(to.hostPort());
        // Three attempts within the copy, each resuming; then it gives up and cancels its session.
        assertThat(from.requests("GET", "/v2/stall/src/blobs/" + big.digest())).hasSize(3);
        assertThat(to.requests("DELETE", UPLOADS.formatted("stall/src"))).isNotEmpty();
        assertThat(to.requests("PUT", "/v2/stall/src/manifests/.+")).isEmpty();
        assertThat(skopeo.exists("docker://" + target.host() + "/stall/src:v1")).isFalse();
    }

    @Test
    void aTargetThatNeverAnswersTheUploadFailsTheCopyNamingTheTargetAndTheSessionIsCancelled() throws Exception {
        SeededImage image =
                TestImages.forRegistry(source.registry()).pushOciImage("stall/dst", "v1", 222, 3000, 400_000);
        FaultProxy to = proxy(target);
        to.on("PUT", UPLOADS.formatted("stall/dst")).stall();

        FerryProcess.Result r = FerryProcess.run(
                "copy",
                "--insecure",
                "--first-byte-timeout",
                "2s",
                "docker://" + source.host() + "/stall/dst:v1",
                "docker://" + to.hostPort() + "/stall/dst:v1");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(errorLine(r))
                .startsWith("ferry copy: upload blob stall/dst@sha256:")
                .contains(" at http://" + to.hostPort() + ": ")
                .endsWith("no response headers within 2s (first-byte timeout)")
                .doesNotContain(source.host());
        // The registry took no byte of a session it was not answering: each one is deleted.
        assertThat(to.requests("DELETE", UPLOADS.formatted("stall/dst")))
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(204));
        assertThat(target.registry().uploadSessions("stall/dst")).isEmpty();
        assertThat(skopeo.exists("docker://" + target.host() + "/stall/dst:v1")).isFalse();
        assertThat(image.blobs()).isNotEmpty();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? json.readTree(r.body()) : json.createObjectNode();
    }

    private JsonNode registry(String name) throws Exception {
        for (JsonNode r : get("/v1/registries").path("registries")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no registry " + name);
    }

    private JsonNode onlyJob(String policy) throws Exception {
        JsonNode jobs = get("/v1/jobs?policy=" + policy);
        return jobs.size() == 1 ? jobs.get(0) : json.createObjectNode();
    }

    @Test
    void inAStandaloneAStallingSourceOpensItsOwnBreakerNeverTheTargetsAndOtherCopiesToTheTargetGoOn(@TempDir Path dir)
            throws Exception {
        SeededImage stalled =
                TestImages.forRegistry(source.registry()).pushOciImage("slow/app", "v1", 223, 3000, 2_000_000);
        SeededImage fine = TestImages.forRegistry(source.registry()).pushOciImage("fine/app", "v1", 224, 3000, 300_000);
        BlobRef big = biggest(stalled);
        // Two names for one registry: "slow" stalls mid-blob, "fast" is healthy; both copy to "mirror".
        FaultProxy slow = proxy(source);
        FaultProxy mirror = proxy(target);
        slow.on("GET", "/v2/slow/app/blobs/" + big.digest()).stallResponseBodyAfter(500_000);
        Path schedule =
                Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - name: slow
            url: "%s"
            insecure: true
            timeouts: { firstByte: 5s, idle: 2s }
            circuitBreaker: { minimumCalls: 2, openFor: 5m }
          - { name: fast, url: "%s", insecure: true }
          - name: mirror
            url: "%s"
            insecure: true
            timeouts: { firstByte: 5s, idle: 2s }
            circuitBreaker: { minimumCalls: 2, openFor: 5m }
        policies:
          - name: stalled
            source: { registry: slow, repositories: ["slow/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
          - name: fine
            source: { registry: fast, repositories: ["fine/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        routes:
          - { name: ci, region: default, mirrors: [mirror, fast] }
        failover: { probeInterval: 1s, downAfter: 2, failbackAfter: 1s }
        """.formatted(slow.url(), source.url(), mirror.url()));
        server = StandaloneServer.start(dir, schedule);

        assertThat(server.ctl("sync", "--policy", "stalled").exitCode()).isZero();
        // The stall counts against the source: its breaker opens and its health says so.
        JsonNode slowHealth = Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> registry("slow"), r -> r.path("state").asText().equals("degraded"));
        assertThat(slowHealth.path("reason").asText()).contains("circuit breaker open on worker");
        // The job waits on the source, whose breaker is open; the worker logged the stall itself.
        JsonNode job = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> onlyJob("stalled"), j -> j.path("state").asText().equals("held"));
        assertThat(job.path("lastError").asText())
                .startsWith("registry slow is unavailable (circuit breaker open")
                .doesNotContain("mirror")
                .doesNotContain(mirror.hostPort());
        assertThat(Files.readString(dir.resolve("standalone.log")))
                .contains("reading from the source slow: GET blob slow/app@" + big.digest() + " at " + slow.url()
                        + ": no bytes moved for 2s (idle timeout)");

        // The target is untouched: healthy, its breaker closed, still the route's choice.
        assertThat(registry("mirror").path("state").asText()).isEqualTo("healthy");
        assertThat(server.metrics())
                .contains("ferry_registry_circuit_state{registry=\"mirror\"} 0.0")
                .contains("ferry_registry_circuit_state{registry=\"slow\"} 2.0");
        assertThat(get("/v1/routes/ci").path("active").asText()).isEqualTo("mirror");

        // Another copy to the same target goes through at once.
        assertThat(server.ctl("sync", "--policy", "fine").exitCode()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> onlyJob("fine").path("state").asText(), "succeeded"::equals);
        assertThat(skopeo.manifestDigest("docker://" + target.host() + "/fine/app:v1"))
                .isEqualTo(fine.digest());
        assertThat(skopeo.exists("docker://" + target.host() + "/slow/app:v1")).isFalse();
        assertThat(mirror.requests("PUT", "/v2/slow/app/manifests/.+")).isEmpty();
        assertThat(registry("mirror").path("state").asText()).isEqualTo("healthy");
        assertThat(get("/v1/jobs?state=rejected")).isEmpty();
        assertThat(slow.requests("GET", "/v2/slow/app/blobs/" + big.digest())).isNotEmpty();
    }
}
