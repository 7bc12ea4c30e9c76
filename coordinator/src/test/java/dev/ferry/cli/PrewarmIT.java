package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryNotification;
import dev.ferry.testing.RegistryOptions;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull popularity against real registries: the source and the edge mirror report their pulls to
 * a standalone Ferry; a pre-warming policy copies only the most-pulled tags, rising ones at tier
 * high; the edge's hit ratio counts pulls of tags Ferry put there as hits.
 */
class PrewarmIT {

    private static final int FERRY_PORT = FreePort.forListener();
    private static final String EVENTS_URL = "http://127.0.0.1:" + FERRY_PORT + "/v1/events/registry";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.of(
            RegistryOptions.defaults().withNotification(RegistryNotification.bearer(EVENTS_URL, "source-hook")));

    @RegisterExtension
    static RegistryExtension edge = RegistryExtension.of(
            RegistryOptions.defaults().withNotification(RegistryNotification.bearer(EVENTS_URL, "edge-hook")));

    private final Skopeo skopeo = new Skopeo();
    private final HttpClient http = HttpClient.newHttpClient();
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Manifest GETs by tag, one pull event each (skopeo would make two requests per inspect). */
    private void pull(String registryHost, String reference, int times) throws Exception {
        String[] repoTag = reference.split(":");
        for (int i = 0; i < times; i++) {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://" + registryHost + "/v2/" + repoTag[0] + "/manifests/" + repoTag[1]))
                            .header(
                                    "Accept",
                                    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).as("GET " + reference).isEqualTo(200);
        }
    }

    /** A sync over HTTP (not ferry ctl, whose JVM start would eat into a short ttl); its run's final state. */
    private String sync(String policy) throws Exception {
        return server.api().sync(policy, true).path("state").asText();
    }

    /** The source and edge registries, each with its webhook secret, then {@code policies} (a YAML list). */
    private static Path schedule(Path dir, String policies) throws Exception {
        Files.writeString(dir.resolve("source-hook"), "source-hook");
        Files.writeString(dir.resolve("edge-hook"), "edge-hook");
        return Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, webhook: { secretFile: source-hook } }
          - { name: edge, url: "%s", insecure: true, webhook: { secretFile: edge-hook } }
        policies:
        """.formatted(source.url(), edge.url()) + policies);
    }

    private double pulls(String registry, String outcome) throws Exception {
        Matcher m = Pattern.compile("ferry_pulls_total\\{outcome=\"" + outcome + "\",registry=\"" + registry
                        + "\",route=\"[^\"]*\",?\\} ([0-9.]+)")
                .matcher(server.metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void theMostPulledTagsAreWarmedAndTheEdgeHitRatioCountsThem(@TempDir Path dir) throws Exception {
        Path schedule = schedule(dir, """
          - name: warm
            source: { registry: source, repositories: ["p/*"] }
            targets: [ { registry: edge, prefix: w/ } ]
            trigger: { manual: true }
            prewarm: { topK: 3 }
        routes:
          - { name: ci-eu, region: default, mirrors: [edge, source] }
        """);
        TestImages images = TestImages.forRegistry(source.registry());
        for (String tag : new String[] {"a", "b", "c", "d"}) {
            images.pushOciImage("p/app", tag, tag.charAt(0), 1000 + tag.charAt(0));
        }
        server = StandaloneServer.start(dir, schedule, FERRY_PORT);

        pull(source.host(), "p/app:c", 3);
        pull(source.host(), "p/app:a", 2);
        pull(source.host(), "p/app:b", 1);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> pulls("source", "miss") >= 6);
        FerryProcess.Result run = server.ctl("sync", "--policy", "warm", "--wait");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(skopeo.tags("docker://" + edge.host() + "/w/p/app")).containsExactlyInAnyOrder("a", "b", "c");
        String jobs = server.ctl("jobs", "--policy", "warm", "--json").stdout();
        // Each job's tier comes before its target in the listing; c and a were pulled often and recently.
        assertThat(jobs)
                .containsPattern("\"tier\" : \"high\"[^}]*w/p/app:c\"")
                .containsPattern("\"tier\" : \"high\"[^}]*w/p/app:a\"")
                .containsPattern("\"tier\" : \"bulk\"[^}]*w/p/app:b\"")
                .doesNotContain("w/p/app:d");

        // A pull of a warmed tag at the edge is a hit; of a tag someone else pushed there, a miss.
        TestImages.forRegistry(edge.registry()).pushOciImage("w/p/app", "foreign", 9, 900);
        pull(edge.host(), "w/p/app:c", 1);
        pull(edge.host(), "w/p/app:foreign", 1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> pulls("edge", "hit") + pulls("edge", "miss") >= 2);
        assertThat(pulls("edge", "hit")).isEqualTo(1.0);
        assertThat(pulls("edge", "miss")).isEqualTo(1.0);
        assertThat(server.metrics()).contains("route=\"ci-eu\"");
    }

    private double expired() throws Exception {
        Matcher m = Pattern.compile("ferry_tags_expired_total\\{registry=\"edge\",?\\} ([0-9.]+)")
                .matcher(server.metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void ttlRemovesOnlyFerrysUnpulledTagsAndTheExpiryCanBeRolledBack(@TempDir Path dir) throws Exception {
        Path schedule = schedule(dir, """
          - name: cache
            source: { registry: source, repositories: ["t/*"] }
            targets: [ { registry: edge, prefix: c/, ttl: 8s } ]
            trigger: { manual: true }
            prewarm: { topK: 10 }
        """);
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("t/app", "keep", 51, 5100);
        String dropped = images.pushOciImage("t/app", "drop", 52, 5200).digest();
        server = StandaloneServer.start(dir, schedule, FERRY_PORT);
        pull(source.host(), "t/app:keep", 1);
        pull(source.host(), "t/app:drop", 1);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> pulls("source", "miss") >= 2);
        assertThat(sync("cache")).isEqualTo("succeeded");
        long written = System.nanoTime();
        String at = "docker://" + edge.host() + "/c/t/app";
        assertThat(skopeo.tags(at)).containsExactlyInAnyOrder("keep", "drop");
        String foreign = TestImages.forRegistry(edge.registry())
                .pushOciImage("c/t/app", "foreign", 53, 5300)
                .digest();

        // Consumers keep pulling "keep" at the edge; nobody pulls "drop" or "foreign" for longer than the ttl.
        while (System.nanoTime() - written < Duration.ofSeconds(9).toNanos()) {
            pull(edge.host(), "c/t/app:keep", 1);
            Thread.sleep(1500);
        }
        assertThat(sync("cache")).isEqualTo("succeeded");
        assertThat(skopeo.tags(at))
                .as("drop expired; keep was pulled; foreign is not Ferry's")
                .containsExactlyInAnyOrder("keep", "foreign");
        assertThat(skopeo.manifestDigest(at + ":foreign")).isEqualTo(foreign);
        assertThat(expired()).isEqualTo(1.0);
        assertThat(server.ctl("history", "--registry", "edge", "--repository", "c/t/app", "--tag", "drop", "--json")
                        .stdout())
                .contains("\"kind\" : \"delete\"")
                .contains("\"actor\" : \"ttl\"");

        FerryProcess.Result back =
                server.ctl("rollback", "--registry", "edge", "--repository", "c/t/app", "--tag", "drop");
        assertThat(back.exitCode()).as(back.stdout() + back.stderr()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> skopeo.tags(at).contains("drop"));
        assertThat(skopeo.manifestDigest(at + ":drop")).isEqualTo(dropped);
    }
}
