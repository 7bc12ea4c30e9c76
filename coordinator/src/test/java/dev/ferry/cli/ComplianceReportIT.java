package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryProcess;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry ctl report} on the ledger of a real run: standalone with real registries
 * replicates, hits a conflict (someone else wrote the tag on mirror-b), fails mirror-a over by
 * hand and back, and the report shows each of these with who did it and how long it lasted,
 * the route that had no eligible mirror meanwhile, config-audit findings, and a verified chain.
 */
class ComplianceReportIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirrorB = RegistryExtension.plain();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Path> tokenFiles = new HashMap<>();
    private RegistryProcess mirrorA;
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mirrorA != null) {
            mirrorA.close();
        }
    }

    @Test
    void theReportOfARealRunShowsTheFailoverTheConflictAndAVerifiedLedger(@TempDir Path dir) throws Exception {
        mirrorA = RegistryProcess.plain();
        ListedTokens listed = ListedTokens.create(dir, "rep", "viewer", "admin");
        tokenFiles.put("viewer", listed.file("viewer"));
        tokenFiles.put("admin", listed.file("admin"));
        TestImages.forRegistry(source.registry()).pushOciImage("rep/app", "v1", 81, 1500);
        // Someone else's image under the same tag on mirror-b: Ferry's write there is a conflict.
        TestImages.forRegistry(mirrorB.registry()).pushOciImage("rep/app", "v1", 82, 1500);
        Path schedule = Files.writeString(
                dir.resolve("schedule.yaml"),
                """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, region: eu }
          - { name: mirror-a, url: "%s", insecure: true, region: us }
          - { name: mirror-b, url: "%s", insecure: true, region: us }
        policies:
          - name: to-a
            source: { registry: source, repositories: ["rep/app"] }
            targets: [ { registry: mirror-a } ]
            trigger: { manual: true }
          - name: to-b
            source: { registry: source, repositories: ["rep/app"] }
            targets: [ { registry: mirror-b } ]
            trigger: { manual: true }
            onConflict: fail
        routes:
          - { name: ci, region: us, mirrors: [mirror-a, mirror-b] }
          - { name: edge, region: us, mirrors: [mirror-a] }
        failover: { probeInterval: 1s, probeTimeout: 500ms, downAfter: 2, failbackAfter: 1s }
        api:
          tokens:
        """.formatted(source.url(), mirrorA.url(), mirrorB.url()) + listed.entries());
        server = StandaloneServer.start(dir, schedule);
        assertThat(call("POST", "/v1/policies/to-a/sync?wait=true", "admin")
                        .path("state")
                        .asText())
                .isEqualTo("succeeded");
        assertThat(call("POST", "/v1/policies/to-b/sync?wait=true", "admin")
                        .path("state")
                        .asText())
                .isEqualTo("failed");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> call("GET", "/v1/routes/edge", "viewer")
                                .path("active")
                                .asText(),
                        "mirror-a"::equals);

        call("POST", "/v1/registries/mirror-a/failover", "admin");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> call("GET", "/v1/routes/ci", "viewer")
                                .path("active")
                                .asText(),
                        "mirror-b"::equals);
        Thread.sleep(1500); // the outage lasts long enough to be measured in whole seconds
        call("POST", "/v1/registries/mirror-a/failback?force=true", "admin");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> call("GET", "/v1/routes/edge", "viewer")
                                .path("active")
                                .asText(),
                        "mirror-a"::equals);

        HttpResponse<String> asViewer = send("GET", "/v1/reports/compliance?since=1d", "viewer");
        assertThat(asViewer.statusCode()).as(asViewer.body()).isEqualTo(403);

        FerryProcess.Result jsonRun = ctl("report", "--since", "1d", "--format", "json");
        assertThat(jsonRun.exitCode()).as(jsonRun.stderr()).isZero();
        JsonNode report = json.readTree(jsonRun.stdout());

        JsonNode ledger = report.path("ledger");
        assertThat(ledger.path("verified").asBoolean()).as(ledger.toString()).isTrue();
        assertThat(ledger.path("entries").asInt()).isGreaterThan(5);
        assertThat(report.path("actions").findValuesAsText("action"))
                .contains("api.registries.failover", "tag.write", "registry.failover", "route.switch");
        assertThat(report.path("actions").findValuesAsText("actor")).contains("admin-rep");

        JsonNode failover = only(report.path("failovers"), "registry", "mirror-a");
        assertThat(failover.path("mode").asText()).isEqualTo("failover");
        assertThat(failover.path("by").asText()).isEqualTo("admin-rep");
        assertThat(failover.path("backAt").isTextual()).isTrue();
        assertThat(failover.path("durationSeconds").asDouble()).isGreaterThanOrEqualTo(1.5);

        JsonNode conflict = only(report.path("conflicts").path("jobs"), "policy", "to-b");
        assertThat(conflict.path("target").asText()).startsWith("mirror-b/rep/app:v1");
        assertThat(conflict.path("reason").asText()).contains("conflict");

        JsonNode edge = only(report.path("routes"), "route", "edge");
        assertThat(edge.path("withoutEligibleMirrorSeconds").asDouble()).isGreaterThanOrEqualTo(1.5);
        assertThat(edge.path("eligibleShare").asDouble()).isBetween(0.0, 0.999);
        // ci fell back to mirror-b, which the conflict left out of sync: eligible or not, it is measured.
        assertThat(only(report.path("routes"), "route", "ci")
                        .path("eligibleShare")
                        .asDouble())
                .isBetween(0.5, 1.0);
        assertThat(report.path("configFindings").findValuesAsText("rule")).isNotEmpty();

        FerryProcess.Result md = ctl("report", "--since", "1d");
        assertThat(md.exitCode()).as(md.stderr()).isZero();
        assertThat(md.stdout())
                .contains(
                        "# Ferry compliance report",
                        "## Failovers",
                        "| mirror-a | failover | admin-rep |",
                        "The ledger's hash chain and signed checkpoints verify.");
        Path html = dir.resolve("report.html");
        FerryProcess.Result htmlRun = ctl("report", "--since", "1d", "--format", "html", "--out", html.toString());
        assertThat(htmlRun.exitCode()).as(htmlRun.stderr()).isZero();
        assertThat(Files.readString(html))
                .startsWith("<!DOCTYPE html>")
                .contains("<h2>Conflicts</h2>")
                .contains("<td>to-b</td>");

        FerryProcess.Result bad = ctl("report", "--since", "forever");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("query parameter \"since\": invalid duration \"forever\"");
    }

    private static JsonNode only(JsonNode rows, String field, String value) {
        for (JsonNode row : rows) {
            if (row.path(field).asText().equals(value)) {
                return row;
            }
        }
        throw new AssertionError("no row with " + field + "=" + value + " in " + rows);
    }

    private FerryProcess.Result ctl(String... args) throws Exception {
        String[] all = new String[args.length + 5];
        all[0] = "ctl";
        all[1] = "--server";
        all[2] = server.url();
        all[3] = "--token-file";
        all[4] = tokenFiles.get("admin").toString();
        System.arraycopy(args, 0, all, 5, args.length);
        return FerryProcess.run(all);
    }

    private JsonNode call(String method, String path, String role) throws Exception {
        HttpResponse<String> r = send(method, path, role);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String role) throws Exception {
        String token = Files.readString(tokenFiles.get(role)).strip();
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Authorization", "Bearer " + token)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofMinutes(3))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
