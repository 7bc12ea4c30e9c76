package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryNotification;
import dev.ferry.testing.RegistryOptions;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.SkopeoException;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry notifications against real registries: the source's {@code notifications.endpoints}
 * point at a standalone Ferry, whose event policy has no interval. A push reaches the mirror in
 * seconds; a manifest delete at the source is propagated; a webhook without the right secret, or
 * with a malformed body, is refused and starts nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventIT {

    private static final Logger LOG = LoggerFactory.getLogger(EventIT.class);
    private static final String SECRET = "ev-" + Long.toHexString(System.nanoTime());
    private static final int FERRY_PORT = FreePort.forListener();
    private static final String EVENTS_URL = "http://127.0.0.1:" + FERRY_PORT + "/v1/events/registry";
    /**
     * Push to tag at the mirror: about 1–2 s (printed by each run). The bound is generous because the policy has no
     * interval, so only the event can bring a tag at all; a busy 2-core CI machine missed a 5 s bound once, when the
     * push arrived while the previous event's run was still ending and queued a full rerun.
     */
    private static final Duration PUSH_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.of(
            RegistryOptions.defaults().withNotification(RegistryNotification.bearer(EVENTS_URL, SECRET)));

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension quiet = RegistryExtension.plain();

    private static final String QUIET_SECRET = "quiet-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dir;

    private static StandaloneServer server;
    private final Skopeo skopeo = new Skopeo();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("hook-secret"), SECRET + "\n");
        Files.writeString(dir.resolve("quiet-secret"), QUIET_SECRET);
        Path schedule =
                Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, webhook: { secretFile: hook-secret } }
          - { name: mirror, url: "%s", insecure: true }
          - { name: quiet, url: "%s", insecure: true, webhook: { secretFile: quiet-secret } }
        policies:
          - name: live
            source: { registry: source, repositories: ["ev/*"] }
            targets: [ { registry: mirror, prefix: m/ } ]
            trigger: { event: true }
            propagateDeletes: true
          - name: quietly
            source: { registry: quiet, repositories: ["qv/*"] }
            targets: [ { registry: mirror, prefix: q/ } ]
            trigger: { event: true }
        """.formatted(source.url(), mirror.url(), quiet.url()));
        server = StandaloneServer.start(dir, schedule, FERRY_PORT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String at(String reference) {
        return "docker://" + mirror.host() + "/" + reference;
    }

    private boolean present(String reference) {
        try {
            skopeo.manifestDigest(at(reference));
            return true;
        } catch (SkopeoException e) {
            return false;
        }
    }

    @Test
    @Order(1)
    void aPushReachesTheMirrorWithinSecondsWithoutAnInterval() throws Exception {
        SeededImage pushed = TestImages.forRegistry(source.registry()).pushOciImage("ev/app", "v1", 21, 2100, 900);
        long pushedAt = System.nanoTime();

        Awaitility.await()
                .atMost(PUSH_BOUND)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> present("m/ev/app:v1"));
        long millis = (System.nanoTime() - pushedAt) / 1_000_000;
        LOG.info("push to mirror: {} ms", millis);
        System.out.println("EventIT push-to-mirror-ms=" + millis);

        assertThat(skopeo.manifestDigest(at("m/ev/app:v1"))).isEqualTo(pushed.digest());
    }

    @Test
    @Order(2)
    void aManifestDeleteAtTheSourceIsPropagated() throws Exception {
        SeededImage doomed = TestImages.forRegistry(source.registry()).pushOciImage("ev/gone", "v1", 31, 3100);
        Awaitility.await()
                .atMost(PUSH_BOUND)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> present("m/ev/gone:v1"));

        HttpResponse<Void> deleted = http.send(
                HttpRequest.newBuilder(URI.create(source.url() + "/v2/ev/gone/manifests/" + doomed.digest()))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(deleted.statusCode()).isEqualTo(202);
        long deletedAt = System.nanoTime();

        Awaitility.await()
                .atMost(PUSH_BOUND)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !present("m/ev/gone:v1"));
        System.out.println("EventIT delete-to-mirror-ms=" + (System.nanoTime() - deletedAt) / 1_000_000);
        assertThat(server.ctl("history", "--registry", "mirror", "--repository", "m/ev/gone", "--tag", "v1", "--json")
                        .stdout())
                .contains("\"kind\" : \"delete\"");
    }

    @Test
    @Order(3)
    void unauthenticatedOrMalformedEventsAreRefusedAndStartNothing() throws Exception {
        // "quiet" sends no notifications: only the events posted here announce its tag.
        SeededImage waiting = TestImages.forRegistry(quiet.registry()).pushOciImage("qv/app", "v1", 41, 4100);
        String push = """
        {"events": [{"action": "push", "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
          "repository": "qv/app", "tag": "v1", "digest": "%s"}, "request": {"host": "%s"}}]}""".formatted(waiting.digest(), quiet.host());

        HttpResponse<String> none = post(push, null);
        HttpResponse<String> wrong = post(push, "Bearer not-" + QUIET_SECRET);
        HttpResponse<String> otherRegistry = post(push, "Bearer " + SECRET);
        HttpResponse<String> malformed = post(
                "{\"events\": [" + push.substring(push.indexOf('{', 1), push.lastIndexOf(']'))
                        + ", {\"action\": \"push\"}]}",
                "Bearer " + QUIET_SECRET);
        HttpResponse<String> notJson = post("events=1", "Bearer " + QUIET_SECRET);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(QUIET_SECRET);
        assertThat(otherRegistry.statusCode())
                .as("source's secret: no policy reads qv/* from source")
                .isEqualTo(200);
        assertThat(otherRegistry.body()).contains("\"triggered\":[]");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("events[1].target must be an object");
        assertThat(notJson.statusCode()).isEqualTo(400);
        Thread.sleep(3000);
        assertThat(present("q/qv/app:v1"))
                .as("no refused event may copy anything")
                .isFalse();

        // The same event with quiet's secret does copy: the refusals above were not vacuous.
        HttpResponse<String> genuine = post(push, "Bearer " + QUIET_SECRET);
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertThat(genuine.body()).contains("\"triggered\":[\"quietly\"]");
        Awaitility.await()
                .atMost(PUSH_BOUND)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> present("q/qv/app:v1"));
    }

    private HttpResponse<String> post(String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(EVENTS_URL))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
