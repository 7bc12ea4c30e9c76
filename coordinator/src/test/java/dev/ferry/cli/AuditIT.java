package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit ledger through a real standalone process: a sync that copies an image (checked
 * with skopeo), a pause, both API calls and the worker's tag write in {@code GET /v1/audit},
 * {@code ctl audit verify} on the API and on the data-dir file after a signed shutdown, and a
 * flipped byte in that file found and named. Then a damaged line in the data-dir file: kept,
 * reported, and recorded in a new signed segment at the next start.
 */
class AuditIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    /** A manual policy {@code au} copying {@code au/*} from the source to {@code m/} on the mirror. */
    private static Path schedule(Path dir) throws java.io.IOException {
        return StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        policies:
          - name: au
            source: { registry: source, repositories: ["au/*"] }
            targets: [ { registry: mirror, prefix: "m/" } ]
            trigger: { manual: true }
        """);
    }

    @Test
    void apiCallsAndTagWritesAreLedgeredAndATamperedByteIsFound(@TempDir Path dir) throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("au/app", "v1", 71, 2000);
        Path schedule = schedule(dir);
        Path export = dir.resolve("export.jsonl");
        try (StandaloneServer server = StandaloneServer.start(dir, schedule)) {
            assertThat(server.ctl("sync", "--policy", "au", "--wait").exitCode())
                    .isZero();
            assertThat(new Skopeo().manifestDigest("docker://" + mirror.host() + "/m/au/app:v1"))
                    .isEqualTo(image.digest());
            assertThat(server.ctl("pause", "--policy", "au").exitCode()).isZero();

            FerryProcess.Result exported = server.ctl("audit", "export", "--file", export.toString());
            assertThat(exported.exitCode()).isZero();
            String ledger = Files.readString(export);
            assertThat(ledger)
                    .contains("\"action\":\"api.policies.sync\"")
                    .contains("\"subject\":\"/v1/policies/au/sync\"")
                    .contains("\"action\":\"api.policies.pause\"")
                    .contains("\"action\":\"tag.write\"")
                    .contains("\"subject\":\"mirror/m/au/app:v1\"")
                    .contains("\"newDigest\":\"" + image.digest() + "\"")
                    .containsPattern("\"actor\":\"worker:[^\"]+\"");
            // The tag write comes before the sync's answer, the pause after it.
            assertThat(ledger.indexOf("tag.write")).isLessThan(ledger.indexOf("api.policies.sync"));
            assertThat(ledger.indexOf("api.policies.sync")).isLessThan(ledger.indexOf("api.policies.pause"));

            FerryProcess.Result verified = server.ctl("audit", "verify", "--json");
            assertThat(verified.exitCode())
                    .as(verified.stdout() + verified.stderr())
                    .isZero();
            assertThat(verified.stdout()).contains("\"ok\" : true").contains("\"firstSeq\" : 1");
        }

        // Stopped: the shutdown signed the head, and the member's file is the whole chain.
        Path file = dir.resolve("data").resolve("audit-ledger.jsonl");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(lines.size() - 1)).contains("\"action\":\"ledger.checkpoint\"");
        String key = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(lines.get(lines.size() - 1))
                .path("details")
                .path("key")
                .asText();
        FerryProcess.Result clean = FerryProcess.run("ctl", "audit", "verify", "--file", file.toString(), "--key", key);
        assertThat(clean.exitCode()).as(clean.stdout() + clean.stderr()).isZero();
        assertThat(clean.stdout())
                .contains(": ok, " + lines.size() + " entries")
                .contains("1 signed checkpoints");

        byte[] bytes = Files.readAllBytes(file);
        int at = Files.readString(file).indexOf("pause");
        bytes[at] ^= 0x01;
        Path tampered = Files.write(dir.resolve("tampered.jsonl"), bytes);
        long pauseSeq = lines.stream()
                .filter(l -> l.contains("api.policies.pause"))
                .findFirst()
                .map(l -> dev.ferry.coordinator.audit.LedgerLine.parse(l).seq())
                .orElseThrow();
        int pauseLine = (int) lines.stream()
                        .takeWhile(l -> !l.contains("api.policies.pause"))
                        .count()
                + 1;
        FerryProcess.Result bad = FerryProcess.run("ctl", "audit", "verify", "--file", tampered.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stdout()).contains(tampered + ":" + pauseLine + ": entry seq " + pauseSeq + " is bad");
    }

    @Test
    void aDamagedLedgerLineIsKeptReportedAndRecordedInANewSignedSegment(@TempDir Path dir) throws Exception {
        Path schedule = schedule(dir);
        try (StandaloneServer server = StandaloneServer.start(dir, schedule)) {
            for (int i = 0; i < 17; i++) {
                server.post("/v1/policies/au/" + (i % 2 == 0 ? "pause" : "resume"));
            }
        }
        Path file = dir.resolve("data").resolve("audit-ledger.jsonl");
        List<String> lines = dev.ferry.coordinator.audit.LedgerVerifier.lines(Files.readString(file));
        assertThat(lines).hasSizeGreaterThanOrEqualTo(18); // 17 calls, the checkpoint at shutdown, health changes
        String line6 = lines.get(5);
        lines.set(5, line6.substring(0, 40) + line6.substring(70));
        String damaged = String.join("\n", lines) + "\n";
        Files.writeString(file, damaged);
        String bad = file + ":6: entry seq 6 is bad: not JSON";
        FerryProcess.Result found = FerryProcess.run("ctl", "audit", "verify", "--file", file.toString());
        assertThat(found.exitCode()).isEqualTo(1);
        assertThat(found.stdout()).contains(bad + " (5 entries before it verified)");

        try (StandaloneServer server = StandaloneServer.start(dir, schedule)) {
            assertThat(Files.readString(dir.resolve("standalone.log")))
                    .containsPattern("ERROR .* audit ledger: "
                            + java.util.regex.Pattern.quote(bad + " (last good entry before it: seq 5);"
                                    + " the file is kept as it is, and the break is recorded in the ledger"));
            assertThat(server.get("/health/ready"))
                    .startsWith("{\"status\":\"ready\",\"auditLedger\":{\"status\":"
                            + "\"broken\",\"breaks\":1,\"message\":\"audit-ledger.jsonl:6: entry seq 6 is bad: not JSON (last good"
                            + " entry before it: seq 5); recorded by entry seq 257");
            assertThat(server.metrics()).containsPattern("(?m)^ferry_audit_ledger_breaks(\\{[^}]*\\})? 1\\.0$");
            server.post("/v1/policies/au/pause");

            String now = Files.readString(file);
            assertThat(now).startsWith(damaged);
            List<String> added = dev.ferry.coordinator.audit.LedgerVerifier.lines(now.substring(damaged.length()));
            assertThat(added).hasSizeGreaterThanOrEqualTo(3);
            assertThat(added.get(0))
                    .contains("\"action\":\"ledger.break\"")
                    .contains("\"seq\":257")
                    .contains("\"line\":6")
                    .contains("\"newSegment\":true")
                    .contains("\"reason\":\"not JSON\"");
            assertThat(added.get(1))
                    .contains("\"action\":\"ledger.checkpoint\"")
                    .contains("\"signedSeq\":257");
            assertThat(added.get(added.size() - 1)).contains("\"action\":\"api.policies.pause\"");

            FerryProcess.Result api = server.ctl("audit", "verify");
            assertThat(api.exitCode()).as(api.stdout() + api.stderr()).isEqualTo(3);
            // Health and other events may still be appended while the test runs: check that the counts
            // agree with each other (every original line but the damaged one, plus the new segment
            // from seq 257 on) rather than a count read earlier.
            java.util.regex.Matcher counts = java.util.regex.Pattern.compile("/v1/audit: 1 break, each recorded by a"
                            + " signed ledger\\.break entry; everything else verifies: (\\d+) entries, seq 1-(\\d+)")
                    .matcher(api.stdout());
            assertThat(counts.find()).as(api.stdout()).isTrue();
            long lastSeq = Long.parseLong(counts.group(2));
            assertThat(lastSeq).isGreaterThanOrEqualTo(256 + added.size());
            assertThat(Long.parseLong(counts.group(1))).isEqualTo(lines.size() - 1 + (lastSeq - 256));
            assertThat(api.stdout())
                    .contains(
                            "/v1/audit:6: entry seq 6 is bad: not JSON (last good entry before it: seq 5); recorded by"
                                    + " entry seq 257");
        }
        String key = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(lines.get(lines.size() - 1))
                .path("details")
                .path("key")
                .asText();
        FerryProcess.Result recorded =
                FerryProcess.run("ctl", "audit", "verify", "--file", file.toString(), "--key", key);
        assertThat(recorded.exitCode())
                .as(recorded.stdout() + recorded.stderr())
                .isEqualTo(3);
        assertThat(recorded.stdout()).contains(bad + " (last good entry before it: seq 5); recorded by entry seq 257");
    }
}
