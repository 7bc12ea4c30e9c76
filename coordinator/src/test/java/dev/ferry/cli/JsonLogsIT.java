package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.log.JobLog;
import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator and a worker as separate processes with {@code FERRY_LOG_FORMAT=json}, as the
 * container image runs them, replicate into a registry with a password: every line either
 * process writes is a JSON object, the job's lines on both sides carry its job, run, policy,
 * registry and repository, and the password appears nowhere.
 */
class JsonLogsIT {

    private static final String PASSWORD = "json-logs-Pw-31";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension locked = RegistryExtension.basicAuth("ci", PASSWORD);

    private final List<Process> processes = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyLineIsJsonAndJobLinesCarryTheJobsIdentity(@TempDir Path dir) throws Exception {
        Path schedule = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - name: locked
            url: "%s"
            insecure: true
            credentials: { username: ci, passwordEnv: LOCKED_PASSWORD }
        policies:
          - name: apps
            source: { registry: source, repositories: ["jl/app"] }
            targets: [ { registry: locked, prefix: "m/" } ]
            trigger: { manual: true }
        """.formatted(source.url(), locked.url()));
        String digest = TestImages.forRegistry(source.registry())
                .pushOciImage("jl/app", "v1", 31, 2048)
                .digest();
        Map<String, String> env =
                Map.of("FERRY_LOG_FORMAT", "json", "FERRY_LOG_LEVEL", "INFO", "LOCKED_PASSWORD", PASSWORD);
        int api = FreePort.forListener();
        Path coordinatorLog = dir.resolve("coordinator.log");
        Path workerLog = dir.resolve("worker.log");
        processes.add(FerryProcess.start(
                coordinatorLog,
                env,
                "coordinator",
                "--config",
                schedule.toString(),
                "--api",
                "127.0.0.1:" + api,
                "--cluster-port",
                String.valueOf(FreePort.forListener()),
                "--cluster-name",
                "ferry-it-" + UUID.randomUUID(),
                "--data-dir",
                dir.resolve("data").toString()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> FerryProcess.ready(api));
        Process worker = FerryProcess.start(
                workerLog,
                env,
                "worker",
                "--coordinator",
                "http://127.0.0.1:" + api,
                "--region",
                "local",
                "--id",
                "w-json");
        processes.add(worker);

        FerryProcess.Result sync = FerryProcess.run(
                "ctl", "--server", "http://127.0.0.1:" + api, "sync", "--policy", "apps", "--wait", "--json");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
        String run = json.readTree(sync.stdout()).path("run").asText();
        assertThat(new Skopeo().withCreds("ci", PASSWORD).manifestDigest("docker://" + locked.host() + "/m/jl/app:v1"))
                .isEqualTo(digest);
        worker.destroy();
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<JsonNode> workerLines = lines(workerLog);
        List<JsonNode> coordinatorLines = lines(coordinatorLog);
        JsonNode copied = only(workerLines, "succeeded, wrote");
        JsonNode leased = only(coordinatorLines, "leased to worker w-json");
        JsonNode completed = only(coordinatorLines, "succeeded by worker w-json");
        for (JsonNode line : List.of(copied, leased, completed)) {
            JsonNode mdc = line.path("mdc");
            assertThat(JobLog.KEYS)
                    .allSatisfy(k -> assertThat(mdc.path(k).asText())
                            .as(k + " in " + line)
                            .isNotBlank());
            assertThat(mdc.path("run").asText()).isEqualTo(run);
            assertThat(mdc.path("policy").asText()).isEqualTo("apps");
            assertThat(mdc.path("registry").asText()).isEqualTo("locked");
            assertThat(mdc.path("repository").asText()).isEqualTo("m/jl/app");
            assertThat(line.path("level").asText()).isEqualTo("INFO");
        }
        assertThat(copied.path("mdc").path("job").asText())
                .isEqualTo(leased.path("mdc").path("job").asText());
        assertThat(workerLines)
                .anySatisfy(l -> assertThat(l.path("message").asText()).contains("drained"));
    }

    /** Every line of a log, each parsed as one JSON object; none may be anything else or hold the password. */
    private List<JsonNode> lines(Path log) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            assertThat(line).as(log.getFileName() + " line").doesNotContain(PASSWORD);
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (java.io.IOException e) {
                throw new AssertionError(log.getFileName() + ": not a JSON line: " + line, e);
            }
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.has("timestamp") && node.has("level") && node.has("message"))
                    .as(line)
                    .isTrue();
            assertThat(node.has("formattedMessage") || node.has("arguments"))
                    .as(line)
                    .isFalse();
            out.add(node);
        }
        assertThat(out).as(log.getFileName().toString()).isNotEmpty();
        return out;
    }

    private static JsonNode only(List<JsonNode> lines, String messagePart) {
        List<JsonNode> found = lines.stream()
                .filter(l -> l.path("message").asText().contains(messagePart))
                .toList();
        assertThat(found).as("lines containing \"%s\"", messagePart).hasSize(1);
        return found.get(0);
    }
}
