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
 * flipped byte in that file found and named.
 */
class AuditIT {

  @RegisterExtension static RegistryExtension source = RegistryExtension.plain();
  @RegisterExtension static RegistryExtension mirror = RegistryExtension.plain();

  @Test
  void apiCallsAndTagWritesAreLedgeredAndATamperedByteIsFound(@TempDir Path dir) throws Exception {
    SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("au/app", "v1", 71, 2000);
    Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        policies:
          - name: au
            source: { registry: source, repositories: ["au/*"] }
            targets: [ { registry: mirror, prefix: "m/" } ]
            trigger: { manual: true }
        """);
    Path export = dir.resolve("export.jsonl");
    try (StandaloneServer server = StandaloneServer.start(dir, schedule)) {
      assertThat(server.ctl("sync", "--policy", "au", "--wait").exitCode()).isZero();
      assertThat(new Skopeo().manifestDigest("docker://" + mirror.host() + "/m/au/app:v1")).isEqualTo(image.digest());
      assertThat(server.ctl("pause", "--policy", "au").exitCode()).isZero();

      FerryProcess.Result exported = server.ctl("audit", "export", "--file", export.toString());
      assertThat(exported.exitCode()).isZero();
      String ledger = Files.readString(export);
      assertThat(ledger).contains("\"action\":\"api.policies.sync\"").contains("\"subject\":\"/v1/policies/au/sync\"")
          .contains("\"action\":\"api.policies.pause\"")
          .contains("\"action\":\"tag.write\"").contains("\"subject\":\"mirror/m/au/app:v1\"")
          .contains("\"newDigest\":\"" + image.digest() + "\"").containsPattern("\"actor\":\"worker:[^\"]+\"");
      // The tag write comes before the sync's answer, the pause after it.
      assertThat(ledger.indexOf("tag.write")).isLessThan(ledger.indexOf("api.policies.sync"));
      assertThat(ledger.indexOf("api.policies.sync")).isLessThan(ledger.indexOf("api.policies.pause"));

      FerryProcess.Result verified = server.ctl("audit", "verify", "--json");
      assertThat(verified.exitCode()).as(verified.stdout() + verified.stderr()).isZero();
      assertThat(verified.stdout()).contains("\"ok\" : true").contains("\"firstSeq\" : 1");
    }

    // Stopped: the shutdown signed the head, and the member's file is the whole chain.
    Path file = dir.resolve("data").resolve("audit-ledger.jsonl");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines.get(lines.size() - 1)).contains("\"action\":\"ledger.checkpoint\"");
    String key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(lines.size() - 1))
        .path("details").path("key").asText();
    FerryProcess.Result clean = FerryProcess.run("ctl", "audit", "verify", "--file", file.toString(), "--key", key);
    assertThat(clean.exitCode()).as(clean.stdout() + clean.stderr()).isZero();
    assertThat(clean.stdout()).contains(": ok, " + lines.size() + " entries").contains("1 signed checkpoints");

    byte[] bytes = Files.readAllBytes(file);
    int at = Files.readString(file).indexOf("pause");
    bytes[at] ^= 0x01;
    Path tampered = Files.write(dir.resolve("tampered.jsonl"), bytes);
    long pauseSeq = lines.stream().filter(l -> l.contains("api.policies.pause")).findFirst()
        .map(l -> dev.ferry.coordinator.audit.LedgerLine.parse(l).seq()).orElseThrow();
    int pauseLine = (int) lines.stream().takeWhile(l -> !l.contains("api.policies.pause")).count() + 1;
    FerryProcess.Result bad = FerryProcess.run("ctl", "audit", "verify", "--file", tampered.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stdout()).contains(tampered + ":" + pauseLine + ": entry seq " + pauseSeq + " is bad");
  }
}
