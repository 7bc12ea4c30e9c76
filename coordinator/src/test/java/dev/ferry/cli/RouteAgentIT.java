package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.AccessLogEntry;
import dev.ferry.testing.FreePort;
import dev.ferry.testing.LogMark;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryProcess;
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
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry route-agent} against {@code ferry standalone} and real registries, with real
 * consumers reading the files it writes: skopeo with the written {@code registries.conf}, and
 * containerd's {@code ctr images pull --hosts-dir} with the written {@code hosts.toml}. Each
 * pull names the image by its source's host; the registries' access logs show which one served
 * it: {@code mirror-a} first, {@code mirror-b} after a failover of {@code mirror-a} (which stays up,
 * so a wrong pull would show in its log), {@code mirror-a} again after the failback.
 */
class RouteAgentIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirrorA = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirrorB = RegistryExtension.plain();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> running = new ArrayList<>();
    private StandaloneServer server;
    private Path certsDir;
    private Path registriesDir;
    private int agentPort;

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    /** Standalone with route ci = [mirror-a, mirror-b, source], both mirrors synced, and the agent following it. */
    private void start(Path dir, String repo) throws Exception {
        Path schedule = Files.writeString(
                dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror-a, url: "%s", insecure: true }
          - { name: mirror-b, url: "%s", insecure: true }
        policies:
          - name: to-a
            source: { registry: source, repositories: ["%4$s"] }
            targets: [ { registry: mirror-a } ]
            trigger: { manual: true }
          - name: to-b
            source: { registry: source, repositories: ["%4$s"] }
            targets: [ { registry: mirror-b } ]
            trigger: { manual: true }
        routes:
          - { name: ci, region: default, mirrors: [mirror-a, mirror-b, source] }
        failover: { probeInterval: 1s, probeTimeout: 500ms, downAfter: 2, failbackAfter: 1h }
        """.formatted(source.url(), mirrorA.url(), mirrorB.url(), repo));
        server = StandaloneServer.start(dir, schedule);
        running.add(server);
        for (String policy : List.of("to-a", "to-b")) {
            FerryProcess.Result sync = server.ctl("sync", "--policy", policy, "--wait");
            assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
        }
        certsDir = dir.resolve("certs.d");
        registriesDir = dir.resolve("registries.conf.d");
        agentPort = FreePort.forListener();
        Process agent = FerryProcess.start(
                dir.resolve("agent.log"),
                "route-agent",
                "--server",
                server.url(),
                "--route",
                "ci",
                "--containerd-dir",
                certsDir.toString(),
                "--registries-dir",
                registriesDir.toString(),
                "--wait",
                "5",
                "--metrics",
                "127.0.0.1:" + agentPort);
        running.add(() -> {
            agent.destroy();
            agent.waitFor();
        });
        awaitFiles(hosts ->
                hosts.indexOf(mirrorA.url()) >= 0 && hosts.indexOf(mirrorA.url()) < hosts.indexOf(mirrorB.url()));
    }

    private Path hostsToml() {
        return certsDir.resolve(source.registry().host()).resolve("hosts.toml");
    }

    private Path dropIn() {
        return registriesDir.resolve("ferry-ci.conf");
    }

    /** Waits until the agent's hosts.toml passes {@code test}; the drop-in must then agree within moments. */
    private void awaitFiles(Predicate<String> test) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(hostsToml()) && test.test(Files.readString(hostsToml())));
    }

    private String agentGet(String path, int status) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return r.body();
    }

    /** Where a consumer's requests for {@code repo} went since the marks: registry name to its requests. */
    private static Map<String, List<AccessLogEntry>> servedBy(Map<String, LogMark> marks, String repo, String agent) {
        Map<String, RegistryProcess> all =
                Map.of("source", source.registry(), "mirror-a", mirrorA.registry(), "mirror-b", mirrorB.registry());
        Map<String, List<AccessLogEntry>> out = new java.util.TreeMap<>();
        all.forEach((name, registry) -> out.put(
                name,
                registry.requestsSince(marks.get(name), "*", "/v2/" + repo + "/.*").stream()
                        .filter(e -> e.userAgent().contains(agent))
                        .toList()));
        return out;
    }

    private static Map<String, LogMark> marks() {
        return Map.of(
                "source",
                source.registry().mark(),
                "mirror-a",
                mirrorA.registry().mark(),
                "mirror-b",
                mirrorB.registry().mark());
    }

    private static void assertServedOnlyBy(
            Map<String, List<AccessLogEntry>> served, String mirror, SeededImage image, String repo) {
        assertThat(served.get(mirror))
                .as("requests to %s", mirror)
                .anyMatch(e -> e.method().equals("GET")
                        && e.path().startsWith("/v2/" + repo + "/manifests/")
                        && e.status() == 200)
                .anyMatch(e -> e.method().equals("GET")
                        && e.path().startsWith("/v2/" + repo + "/blobs/sha256:")
                        && e.status() == 200);
        served.forEach((name, requests) -> {
            if (!name.equals(mirror)) {
                assertThat(requests)
                        .as("requests to %s while %s is active", name, mirror)
                        .isEmpty();
            }
        });
        assertThat(image.digest()).startsWith("sha256:");
    }

    /** skopeo copies the image named by its source's host, with only the agent's drop-in as its registries.conf. */
    private static void skopeoPull(Path confFile, String repo, Path into) {
        new Skopeo()
                .run(List.of(
                        "--registries-conf",
                        confFile.toString(),
                        "--insecure-policy",
                        "copy",
                        "docker://" + source.registry().host() + "/" + repo + ":v1",
                        "oci:" + into + ":v1"));
    }

    @Test
    void skopeoPullsFromTheActiveMirrorThroughFailoverAndFailbackAndTheLastGoodFileOutlivesTheApi(@TempDir Path dir)
            throws Exception {
        String repo = "agent/skopeo";
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", 41, 1500, 2500);
        start(dir, repo);
        assertThat(agentGet("/health/ready", 200)).contains("\"route\":\"ci\"").contains("\"active\":\"mirror-a\"");

        Map<String, LogMark> before = marks();
        skopeoPull(dropIn(), repo, dir.resolve("pull-1"));
        assertServedOnlyBy(servedBy(before, repo, "skopeo/"), "mirror-a", image, repo);

        FerryProcess.Result failover = server.ctl("failover", "--registry", "mirror-a", "--reason", "agent test");
        assertThat(failover.exitCode())
                .as(failover.stdout() + failover.stderr())
                .isZero();
        awaitFiles(hosts -> !hosts.contains(mirrorA.url()) && hosts.contains(mirrorB.url()));
        assertThat(Files.readString(dropIn()))
                .doesNotContain(mirrorA.registry().host())
                .contains("location = \"" + mirrorB.registry().host() + "\"");
        before = marks();
        skopeoPull(dropIn(), repo, dir.resolve("pull-2"));
        assertServedOnlyBy(servedBy(before, repo, "skopeo/"), "mirror-b", image, repo);

        FerryProcess.Result failback = server.ctl("failback", "--registry", "mirror-a", "--force");
        assertThat(failback.exitCode())
                .as(failback.stdout() + failback.stderr())
                .isZero();
        awaitFiles(hosts ->
                hosts.indexOf(mirrorA.url()) >= 0 && hosts.indexOf(mirrorA.url()) < hosts.indexOf(mirrorB.url()));
        before = marks();
        skopeoPull(dropIn(), repo, dir.resolve("pull-3"));
        assertServedOnlyBy(servedBy(before, repo, "skopeo/"), "mirror-a", image, repo);

        assertThat(agentGet("/metrics", 200))
                .contains("ferry_route_agent_writes_total{file=\"hosts.toml\",route=\"ci\"} 3.0")
                .contains("ferry_route_agent_writes_total{file=\"registries.conf\",route=\"ci\"} 3.0")
                .contains("ferry_route_agent_current{route=\"ci\"} 1.0");

        // The API goes away: the files stay as they were, the agent says so, and consumers still pull.
        String hosts = Files.readString(hostsToml());
        String conf = Files.readString(dropIn());
        server.close();
        Awaitility.await()
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> agentGet("/metrics", 200).contains("ferry_route_agent_current{route=\"ci\"} 0.0"));
        assertThat(agentGet("/health/ready", 200))
                .contains("\"current\":false")
                .contains("cannot reach " + server.url());
        assertThat(Files.readString(hostsToml())).isEqualTo(hosts);
        assertThat(Files.readString(dropIn())).isEqualTo(conf);
        try (var files = Files.list(certsDir.resolve(source.registry().host()))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("hosts.toml");
        }
        FerryProcess.Result once = FerryProcess.run(
                "route-agent",
                "--once",
                "--server",
                server.url(),
                "--route",
                "ci",
                "--containerd-dir",
                certsDir.toString(),
                "--registries-dir",
                registriesDir.toString());
        assertThat(once.exitCode()).isEqualTo(1);
        assertThat(once.stderr())
                .contains("ferry route-agent: route ci: cannot reach " + server.url())
                .contains("(files left as they were)");
        assertThat(Files.readString(hostsToml())).isEqualTo(hosts);
        before = marks();
        skopeoPull(dropIn(), repo, dir.resolve("pull-4"));
        assertServedOnlyBy(servedBy(before, repo, "skopeo/"), "mirror-a", image, repo);
    }

    @Test
    void containerdPullsFromTheActiveMirrorThroughFailoverAndFailback(@TempDir Path dir) throws Exception {
        String repo = "agent/containerd";
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", 42, 1500, 2500);
        Containerd containerd = Containerd.start();
        running.add(containerd);
        start(dir, repo);
        String ref = source.registry().host() + "/" + repo + ":v1";

        FerryProcess.Result once = FerryProcess.run(
                "route-agent",
                "--once",
                "--server",
                server.url(),
                "--route",
                "ci",
                "--containerd-dir",
                certsDir.toString(),
                "--registries-dir",
                registriesDir.toString());
        assertThat(once.exitCode()).as(once.stderr()).isZero();
        assertThat(once.stdout())
                .isEqualTo("route ci: active mirror-a; already current: " + hostsToml() + ", " + dropIn() + "\n");

        Map<String, LogMark> before = marks();
        Containerd.Result pull = containerd.pull(certsDir, ref);
        assertThat(pull.exitCode()).as(pull.output()).isZero();
        assertServedOnlyBy(servedBy(before, repo, "containerd/"), "mirror-a", image, repo);

        assertThat(server.ctl("failover", "--registry", "mirror-a").exitCode()).isZero();
        awaitFiles(hosts -> !hosts.contains(mirrorA.url()) && hosts.contains(mirrorB.url()));
        assertThat(containerd.ctr("images", "rm", "--sync", ref).exitCode())
                .as("removed, content collected")
                .isZero();
        before = marks();
        pull = containerd.pull(certsDir, ref);
        assertThat(pull.exitCode()).as(pull.output()).isZero();
        assertServedOnlyBy(servedBy(before, repo, "containerd/"), "mirror-b", image, repo);

        assertThat(server.ctl("failback", "--registry", "mirror-a", "--force").exitCode())
                .isZero();
        awaitFiles(hosts ->
                hosts.indexOf(mirrorA.url()) >= 0 && hosts.indexOf(mirrorA.url()) < hosts.indexOf(mirrorB.url()));
        assertThat(containerd.ctr("images", "rm", "--sync", ref).exitCode())
                .as("removed, content collected")
                .isZero();
        before = marks();
        pull = containerd.pull(certsDir, ref);
        assertThat(pull.exitCode()).as(pull.output()).isZero();
        assertServedOnlyBy(servedBy(before, repo, "containerd/"), "mirror-a", image, repo);
        assertThat(containerd.ctr("images", "ls", "-q").output()).contains(ref);
    }
}
