package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.BlobRef;
import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryNotification;
import dev.ferry.testing.RegistryOptions;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route tiers against real registries: a pre-warming policy with a hot edge and a cold archive
 * as targets warms the edge only, counts the bytes it warmed, and its ttl empties the edge of
 * unpulled tags while the archive keeps everything an ordinary policy replicated there.
 */
class CacheTierIT {

    private static final int FERRY_PORT = FreePort.forListener();
    private static final String EVENTS_URL = "http://127.0.0.1:" + FERRY_PORT + "/v1/events/registry";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.of(
            RegistryOptions.defaults().withNotification(RegistryNotification.bearer(EVENTS_URL, "source-hook")));

    @RegisterExtension
    static RegistryExtension edge = RegistryExtension.of(
            RegistryOptions.defaults().withNotification(RegistryNotification.bearer(EVENTS_URL, "edge-hook")));

    @RegisterExtension
    static RegistryExtension archive = RegistryExtension.of(RegistryOptions.defaults());

    private final Skopeo skopeo = new Skopeo();
    private final HttpClient http = HttpClient.newHttpClient();
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** One manifest GET by tag: one pull event. */
    private void pull(String registryHost, String repository, String tag) throws Exception {
        HttpResponse<Void> r = http.send(
                HttpRequest.newBuilder(URI.create("http://" + registryHost + "/v2/" + repository + "/manifests/" + tag))
                        .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).as("GET " + repository + ":" + tag).isEqualTo(200);
    }

    /** A sync over HTTP, waiting for the run's end (a ctl JVM start would eat into the short ttl). */
    private String sync(String policy) throws Exception {
        return server.api().sync(policy, true).path("state").asText();
    }

    private double metric(String pattern) throws Exception {
        Matcher m = Pattern.compile(pattern + " ([0-9.E+-]+)").matcher(server.metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long blobBytes(SeededImage image) {
        return image.blobs().stream().mapToLong(BlobRef::size).sum();
    }

    @Test
    void theHotEdgeIsWarmedAndExpiredWhileTheColdArchiveKeepsEverything(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("source-hook"), "source-hook");
        Files.writeString(dir.resolve("edge-hook"), "edge-hook");
        Path schedule =
                Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, webhook: { secretFile: source-hook } }
          - { name: edge, url: "%s", insecure: true, webhook: { secretFile: edge-hook } }
          - { name: archive, url: "%s", insecure: true }
        policies:
          - name: warm
            source: { registry: source, repositories: ["h/*"] }
            targets: [ { registry: edge, prefix: w/, ttl: 8s }, { registry: archive, prefix: w/ } ]
            trigger: { manual: true }
            prewarm: { topK: 10 }
          - name: keep
            source: { registry: source, repositories: ["h/*"] }
            targets: [ { registry: archive, prefix: all/ } ]
            trigger: { manual: true }
        routes:
          - { name: eu, region: default, mirrors: [edge, archive, source], tiers: { edge: hot, archive: cold } }
        """.formatted(source.url(), edge.url(), archive.url()));
        TestImages images = TestImages.forRegistry(source.registry());
        SeededImage one = images.pushOciImage("h/app", "one", 71, 300_000, 7_100);
        SeededImage two = images.pushOciImage("h/app", "two", 72, 200_000, 7_200);
        server = StandaloneServer.start(dir, schedule, FERRY_PORT);

        // A route answers once it has been computed, within a probe interval of the start.
        JsonNode route = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreException(ControlClient.ApiError.class)
                .until(() -> server.api().route("eu"), r -> r != null);
        List<String> candidates = new ArrayList<>();
        route.path("candidates")
                .forEach(c -> candidates.add(
                        c.path("registry").asText() + "=" + c.path("tier").asText()));
        assertThat(candidates).containsExactly("edge=hot", "archive=cold", "source=hot");

        pull(source.host(), "h/app", "one");
        pull(source.host(), "h/app", "two");
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> metric("ferry_pulls_total\\{outcome=\"miss\",registry=\"source\",route=\"eu\",?\\}") >= 2);
        assertThat(sync("warm")).isEqualTo("succeeded");
        long warmedAt = System.nanoTime();
        assertThat(sync("keep")).isEqualTo("succeeded");

        String edgeRepo = "docker://" + edge.host() + "/w/h/app";
        assertThat(skopeo.tags(edgeRepo)).containsExactlyInAnyOrder("one", "two");
        assertThat(skopeo.exists("docker://" + archive.host() + "/w/h/app:one"))
                .as("cold: not pre-warmed")
                .isFalse();
        assertThat(skopeo.exists("docker://" + archive.host() + "/w/h/app:two"))
                .as("cold: not pre-warmed")
                .isFalse();
        assertThat(metric("ferry_prewarm_bytes_total\\{registry=\"edge\",?\\}"))
                .as("the blob bytes of both images")
                .isEqualTo((double) (blobBytes(one) + blobBytes(two)));
        assertThat(server.metrics()).doesNotContain("ferry_prewarm_bytes_total{registry=\"archive\"");

        // Consumers keep pulling "one" at the edge (hits: Ferry put it there); nobody pulls "two".
        double hitsBefore = metric("ferry_pulls_total\\{outcome=\"hit\",registry=\"edge\",route=\"eu\",?\\}");
        while (System.nanoTime() - warmedAt < Duration.ofSeconds(9).toNanos()) {
            pull(edge.host(), "w/h/app", "one");
            Thread.sleep(1500);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() ->
                        metric("ferry_pulls_total\\{outcome=\"hit\",registry=\"edge\",route=\"eu\",?\\}") > hitsBefore);
        assertThat(sync("warm")).isEqualTo("succeeded");

        assertThat(skopeo.tags(edgeRepo))
                .as("the hot edge loses the unpulled tag")
                .containsExactly("one");
        assertThat(metric("ferry_tags_expired_total\\{registry=\"edge\",?\\}")).isEqualTo(1.0);
        assertThat(skopeo.tags("docker://" + archive.host() + "/all/h/app"))
                .as("the cold archive keeps everything")
                .containsExactlyInAnyOrder("one", "two");
        assertThat(skopeo.exists("docker://" + archive.host() + "/w/h/app:two")).isFalse();
    }
}
