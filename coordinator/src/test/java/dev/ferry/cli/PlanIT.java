package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.AccessLogEntry;
import dev.ferry.testing.BlobRef;
import dev.ferry.testing.LogMark;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry plan} and {@code POST /v1/policies/{name}/plan} against real registries: what a
 * sync would copy, what is up to date, the conflicts with what {@code onConflict} would do,
 * deletes, bytes per link with a shared blob counted once, and a filter that matches nothing.
 * Each plan is checked to have written nothing: no write request reached the target, the data
 * directory is unchanged, and the API shows no job and no new ledger entry.
 */
class PlanIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Skopeo skopeo = new Skopeo();

    private static String schedule(String tagsInclude) {
        return """
        links:
          - { from: eu, to: us, bandwidth: 1KiB/s }
        defaults:
          trigger: { manual: true }
        policies:
          - name: apps
            onConflict: backup
            propagateDeletes: true
            source: { registry: source, repositories: ["apps/*"], tags: { include: [%s] } }
            targets: [ { registry: mirror, prefix: m/ } ]
        """.formatted(tagsInclude);
    }

    private static Path writeSchedule(Path dir, String tagsInclude) throws Exception {
        Path file = StandaloneServer.schedule(dir, source.url(), mirror.url(), schedule(tagsInclude));
        // Regions make the link: the source is in eu, the mirror in us.
        String text = Files.readString(file)
                .replace(
                        "name: source, url: \"" + source.url() + "\", insecure: true",
                        "name: source, url: \"" + source.url() + "\", insecure: true, region: eu")
                .replace(
                        "name: mirror, url: \"" + mirror.url() + "\", insecure: true",
                        "name: mirror, url: \"" + mirror.url() + "\", insecure: true, region: us");
        return Files.writeString(file, text);
    }

    private static FerryProcess.Result plan(Path schedule, Path data, String... more) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("plan", "--config", schedule.toString(), "--data-dir", data.toString()));
        args.addAll(List.of(more));
        return FerryProcess.run(args.toArray(String[]::new));
    }

    private static long bytesOf(SeededImage... images) {
        Set<String> seen = new LinkedHashSet<>();
        long total = 0;
        for (SeededImage image : images) {
            for (BlobRef b : image.blobs()) {
                if (seen.add(b.digest())) {
                    total += b.size();
                }
            }
        }
        return total;
    }

    private static List<String> tags(JsonNode lines) {
        return StreamSupport.stream(lines.spliterator(), false)
                .map(l -> l.path("tag").asText())
                .sorted()
                .toList();
    }

    private static List<AccessLogEntry> writesSince(LogMark mark) {
        return mirror.registry().accessLogSince(mark).stream()
                .filter(e -> !e.method().equals("GET") && !e.method().equals("HEAD"))
                .toList();
    }

    @Test
    void planShowsCopiesUpToDateConflictsDeletesBytesAndWarningsAndWritesNothing(@TempDir Path dir) throws Exception {
        TestImages src = TestImages.forRegistry(source.registry());
        TestImages dst = TestImages.forRegistry(mirror.registry());
        SeededImage v1 = src.pushOciImage("apps/app", "v1", 91, 3000, 5000);
        src.pushOciImage("apps/app", "v1-alias", 91, 3000, 5000); // the same image: its blobs count once
        SeededImage v2 = src.pushOciImage("apps/app", "v2", 92, 4000);
        SeededImage v3 = src.pushOciImage("apps/app", "v3", 96, 1000);
        Path schedule = writeSchedule(dir, "'v.*'");
        Path data = dir.resolve("data");

        // 1. Before the first run: everything is new; bytes are every blob once; no history.
        LogMark before = mirror.registry().mark();
        FerryProcess.Result first = plan(schedule, data, "--json");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        JsonNode p = JSON.readTree(first.stdout()).path("policies").get(0);
        JsonNode target = p.path("targets").get(0);
        assertThat(tags(target.path("copies"))).containsExactly("v1", "v1-alias", "v2", "v3");
        assertThat(target.path("upToDate")).isEmpty();
        JsonNode link = p.path("links").get(0);
        assertThat(link.path("from").asText()).isEqualTo("eu");
        assertThat(link.path("to").asText()).isEqualTo("us");
        assertThat(link.path("bytes").asLong()).isEqualTo(bytesOf(v1, v2, v3));
        assertThat(link.path("blobs").asInt())
                .isEqualTo(v1.blobs().size() + v2.blobs().size() + v3.blobs().size());
        assertThat(link.path("estimatedSeconds").asLong()).isEqualTo((bytesOf(v1, v2, v3) + 1023) / 1024);
        assertThat(writesSince(before)).isEmpty();
        assertThat(data).doesNotExist();

        FerryProcess.Result run = FerryProcess.run(
                "standalone", "--config", schedule.toString(), "--once", "--data-dir", data.toString());
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        byte[] history = Files.readAllBytes(data.resolve("tag-history.jsonl"));

        // 2. After it: the source moves v2 on (Ferry's own write: an update), someone else pushes
        // v1 at the mirror (a conflict: backup), v3 goes at the source (a delete).
        SeededImage v2b = src.pushOciImage("apps/app", "v2", 93, 4100);
        SeededImage foreign = dst.pushOciImage("m/apps/app", "v1", 94, 1000);
        skopeo.run(List.of("delete", "--tls-verify=false", "docker://" + source.host() + "/apps/app:v3"));
        assertThat(skopeo.tags("docker://" + source.host() + "/apps/app")).doesNotContain("v3");
        before = mirror.registry().mark();
        FerryProcess.Result second = plan(schedule, data);
        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isEqualTo(1);
        assertThat(second.stdout())
                .contains("policy apps (onConflict: backup)")
                .contains("copy apps/app:v2 -> m/apps/app:v2 (update of Ferry's earlier write")
                .contains("conflict m/apps/app:v1 holds " + foreign.digest().substring(0, 19))
                .contains(": backup (someone else wrote this tag; onConflict: backup keeps it as v1-ferry-backup-")
                .contains("link eu -> us: ")
                .contains("plan: 1 policy: 1 to copy");
        assertThat(second.stdout()).doesNotContain("copy apps/app:v1 ");
        FerryProcess.Result json = plan(schedule, data, "--json");
        JsonNode p2 = JSON.readTree(json.stdout())
                .path("policies")
                .get(0)
                .path("targets")
                .get(0);
        assertThat(p2.path("conflicts").get(0).path("action").asText()).isEqualTo("backup");
        assertThat(p2.path("conflicts").get(0).path("lastWritten").asText()).isEqualTo(v1.digest());
        assertThat(p2.path("deletes").get(0).asText()).isEqualTo("mirror/m/apps/app:v3");
        assertThat(JSON.readTree(json.stdout())
                        .path("policies")
                        .get(0)
                        .path("links")
                        .get(0)
                        .path("bytes")
                        .asLong())
                .isEqualTo(bytesOf(v2b));
        assertThat(writesSince(before)).isEmpty();
        assertThat(Files.readAllBytes(data.resolve("tag-history.jsonl"))).isEqualTo(history);
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/m/apps/app:v1"))
                .isEqualTo(foreign.digest());

        // 3. A tag pattern written as a prefix matches nothing: a warning with a hint, exit still 0
        // when nothing else is wrong.
        Path prefixSchedule = writeSchedule(dir, "'^v9'");
        FerryProcess.Result warned = plan(prefixSchedule, dir.resolve("empty"));
        assertThat(warned.exitCode()).as(warned.stdout() + warned.stderr()).isZero();
        assertThat(warned.stdout())
                .contains("warning: source.tags.include[0]: tag pattern \"^v9\" matched none of the");
        FerryProcess.Result validated = FerryProcess.run("validate", "--check", prefixSchedule.toString());
        assertThat(validated.exitCode())
                .as(validated.stdout() + validated.stderr())
                .isZero();
        assertThat(validated.stdout())
                .contains(": policy apps: warning: source.tags.include[0]: tag pattern \"^v9\" "
                        + "matched none of the 3 tags it was tried on")
                .contains("checked 1 policy against the registries: 1 warning");
        Path hintSchedule = writeSchedule(dir, "'^v2'");
        FerryProcess.Result hinted = plan(hintSchedule, data);
        assertThat(hinted.stdout()).contains("policy apps").doesNotContain("tag pattern \"^v2\" matched none");
        Path anchored = writeSchedule(dir, "'^v$'");
        FerryProcess.Result meant = plan(anchored, dir.resolve("empty"));
        assertThat(meant.stdout())
                .contains("tag pattern \"^v$\" matched none of the 3 tags it was tried on; patterns match"
                        + " the whole tag name: did you mean \"v.*\"?");
    }

    @Test
    void apiPlanIsReadableByViewersAndQueuesNothing(@TempDir Path dir) throws Exception {
        TestImages src = TestImages.forRegistry(source.registry());
        src.pushOciImage("api/app", "1.0", 95, 2000);
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - { name: api, source: { registry: source, repositories: ["api/*"], tags: { include: ["^1", "1[.].*"] } },
              targets: [ { registry: mirror, prefix: api-copy/ } ] }
        """);
        try (StandaloneServer server = StandaloneServer.start(dir, schedule)) {
            int auditBefore = server.get("/v1/audit").split("\n").length;
            LogMark before = mirror.registry().mark();
            JsonNode plan = JSON.readTree(server.post("/v1/policies/api/plan"));
            assertThat(plan.path("policy").asText()).isEqualTo("api");
            assertThat(tags(plan.path("targets").get(0).path("copies"))).containsExactly("1.0");
            assertThat(plan.path("warnings").toString())
                    .contains("tag pattern \\\"^1\\\" matched none of the 1 tag it was"
                            + " tried on; patterns match the whole tag name: did you mean \\\"1.*\\\"?");
            assertThat(JSON.readTree(server.get("/v1/jobs"))).isEmpty();
            // Health events may land in the ledger meanwhile; nothing about the policy or its target may.
            List<String> audit = List.of(server.get("/v1/audit").split("\n"));
            assertThat(audit.subList(auditBefore, audit.size()))
                    .noneMatch(l ->
                            l.contains("api-copy") || l.contains("policies/api") || l.contains("\"policy\":\"api\""));
            assertThat(writesSince(before)).isEmpty();

            // A run warns of the same filter in its status and its log.
            JsonNode run = JSON.readTree(server.post("/v1/policies/api/sync?wait=true"));
            assertThat(run.path("warnings").toString()).contains("tag pattern \\\"^1\\\" matched none");
            assertThat(Files.readString(dir.resolve("standalone.log"))).contains("tag pattern \"^1\" matched none");
        }
    }

    @Test
    void planOnTheQuickstartExampleTellsWhatTheFirstRunWouldDo(@TempDir Path dir) throws Exception {
        // config/examples/quickstart.yaml, its two local registries pointed at this test's.
        String example = Files.readString(Path.of("..", "config", "examples", "quickstart.yaml"))
                .replace("http://127.0.0.1:5000", source.url())
                .replace("http://127.0.0.1:5001", mirror.url());
        Path schedule = Files.writeString(dir.resolve("quickstart.yaml"), example);
        TestImages src = TestImages.forRegistry(source.registry());
        src.pushOciImage("samples/hello", "1.0", 111, 4000, 6000);
        src.pushOciImage("samples/hello", "latest", 111, 4000, 6000);
        src.pushOciImage("samples/web", "2.1", 112, 8000);

        FerryProcess.Result plan = plan(schedule, dir.resolve("data"));

        System.out.println("ferry plan on quickstart.yaml:\n" + plan.stdout());
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isZero();
        assertThat(plan.stdout())
                .contains("policy samples (onConflict: fail)")
                .contains("target local-mirror: 3 to copy, 0 up to date, 0 conflicts, 0 to delete, 0 to expire")
                .contains("copy samples/hello:1.0 -> mirror/samples/hello:1.0 (new)")
                .contains("copy samples/web:2.1 -> mirror/samples/web:2.1 (new)")
                .contains("link default -> default: ")
                .contains("no quota on this link")
                .contains("note: no tag history in ")
                .contains("plan: 1 policy: 3 to copy (")
                .contains("), 0 up to date, 0 conflicts, 0 to delete or expire, 0 errors, " + "0 warnings");
    }
}
