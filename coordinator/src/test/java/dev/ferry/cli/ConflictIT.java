package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three-way rule end to end, through {@code standalone --once} runs against real
 * registries: one policy per {@code onConflict} value, and one with immutable tags. Every
 * run is a new JVM on the same data directory, so what Ferry wrote before is known only
 * from the tag history file.
 */
class ConflictIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final Skopeo skopeo = new Skopeo();

    private String at(String repository) {
        return "docker://" + mirror.host() + "/" + repository;
    }

    private FerryProcess.Result once(Path schedule, Path data) throws Exception {
        return FerryProcess.run("standalone", "--config", schedule.toString(), "--once", "--data-dir", data.toString());
    }

    @Test
    void eachOnConflictPolicyAndImmutableTagsBehaveAsConfigured(@TempDir Path dir) throws Exception {
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - { name: ow, onConflict: overwrite, source: { registry: source, repositories: [apps/app] },
              targets: [ { registry: mirror, prefix: ow/ } ] }
          - { name: sk, onConflict: skip, source: { registry: source, repositories: [apps/app] },
              targets: [ { registry: mirror, prefix: sk/ } ] }
          - { name: fl, onConflict: fail, source: { registry: source, repositories: [apps/app] },
              targets: [ { registry: mirror, prefix: fl/ } ] }
          - { name: bk, onConflict: backup, source: { registry: source, repositories: [apps/app] },
              targets: [ { registry: mirror, prefix: bk/ } ] }
          - { name: im, onConflict: overwrite, immutableTags: ['v\\d+'],
              source: { registry: source, repositories: [fixed/app] }, targets: [ { registry: mirror, prefix: im/ } ] }
        """);
        Path data = dir.resolve("data");
        TestImages src = TestImages.forRegistry(source.registry());
        TestImages dst = TestImages.forRegistry(mirror.registry());
        List<String> prefixes = List.of("ow", "sk", "fl", "bk");

        SeededImage a = src.pushOciImage("apps/app", "v1", 61, 1500);
        SeededImage fixed = src.pushOciImage("fixed/app", "v1", 62, 1500);
        FerryProcess.Result first = once(schedule, data);
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        for (String p : prefixes) {
            assertThat(skopeo.manifestDigest(at(p + "/apps/app:v1"))).isEqualTo(a.digest());
        }

        // The source moves on. Ferry wrote every target tag, so whatever the policy, it updates them.
        SeededImage b = src.pushOciImage("apps/app", "v1", 63, 1600);
        FerryProcess.Result second = once(schedule, data);
        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
        assertThat(second.stdout()).doesNotContain("conflict");
        for (String p : prefixes) {
            assertThat(skopeo.manifestDigest(at(p + "/apps/app:v1"))).isEqualTo(b.digest());
        }
        assertThat(Files.readString(data.resolve("tag-history.jsonl")))
                .contains(
                        "\"repository\":\"sk/apps/app\"",
                        "\"previousDigest\":\"" + a.digest() + "\"",
                        "\"newDigest\":\"" + b.digest() + "\"");

        // Someone else pushes to every target tag; the source moves on again; v1 of the
        // immutable policy's source changes too.
        java.util.Map<String, SeededImage> foreign = new java.util.HashMap<>();
        int seed = 70;
        for (String p : prefixes) {
            foreign.put(p, dst.pushOciImage(p + "/apps/app", "v1", seed++, 1700));
        }
        SeededImage c = src.pushOciImage("apps/app", "v1", 80, 1800);
        src.pushOciImage("fixed/app", "v1", 81, 1800);

        FerryProcess.Result third = once(schedule, data);

        assertThat(third.exitCode()).as(third.stdout() + third.stderr()).isEqualTo(1);
        assertThat(skopeo.manifestDigest(at("ow/apps/app:v1"))).isEqualTo(c.digest());
        assertThat(skopeo.manifestDigest(at("sk/apps/app:v1")))
                .isEqualTo(foreign.get("sk").digest());
        assertThat(skopeo.manifestDigest(at("fl/apps/app:v1")))
                .isEqualTo(foreign.get("fl").digest());
        assertThat(skopeo.manifestDigest(at("bk/apps/app:v1"))).isEqualTo(c.digest());
        List<String> backups = skopeo.tags(at("bk/apps/app")).stream()
                .filter(t -> t.startsWith("v1-ferry-backup-"))
                .toList();
        assertThat(backups).hasSize(1);
        assertThat(skopeo.manifestDigest(at("bk/apps/app:" + backups.get(0))))
                .isEqualTo(foreign.get("bk").digest());
        assertThat(skopeo.manifestDigest(at("im/fixed/app:v1"))).isEqualTo(fixed.digest());
        assertThat(third.stdout())
                .contains("policy ow: succeeded")
                .contains("policy bk: succeeded")
                .contains("policy sk: failed")
                .contains("policy fl: failed")
                .contains("policy im: failed")
                .contains("1 conflict");
        assertThat(Files.readString(data.resolve("tag-history.jsonl")))
                .contains("\"tag\":\"" + backups.get(0) + "\",\"kind\":\"backup\"");
    }
}
