package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.AccessLogEntry;
import dev.ferry.testing.BlobData;
import dev.ferry.testing.GeneratedBlob;
import dev.ferry.testing.GeneratedImage;
import dev.ferry.testing.ImageSpec;
import dev.ferry.testing.LogMark;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone syncs a repository of many tags whose images share their layers, and a second
 * repository with the same layers, into one registry. The target's access log shows each
 * shared layer uploaded once: the other tags of the repository wait for that upload, the other
 * repository mounts it. Every tag arrives whole.
 */
class SharedBlobsIT {

    private static final int TAGS = 12;
    private static final int LAYERS = 3;

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final Skopeo skopeo = new Skopeo();

    /** {@code base}'s layers under a config of its own, so each tag is a different image. */
    private static GeneratedImage variant(GeneratedImage base, int n) throws Exception {
        byte[] oldConfig = ((BlobData.InMemory) base.config().data()).bytes();
        byte[] config = new String(oldConfig, StandardCharsets.UTF_8)
                .replaceFirst("\"os\":", "\"ferry.variant\":\"" + n + "\",\"os\":")
                .getBytes(StandardCharsets.UTF_8);
        String digest = sha256(config);
        GeneratedBlob blob = new GeneratedBlob(
                digest, config.length, base.config().mediaType(), digest, new BlobData.InMemory(config));
        byte[] manifest = base.manifestString()
                .replace(base.config().digest(), digest)
                .replaceFirst("\"size\"\\s*:\\s*" + oldConfig.length + "\\b", "\"size\": " + config.length)
                .getBytes(StandardCharsets.UTF_8);
        return new GeneratedImage(
                sha256(manifest), base.mediaType(), manifest, base.platform(), blob, base.layers(), List.of());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void sharedLayersAreUploadedOnceAndMountedIntoTheOtherRepository(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        GeneratedImage base = images.generate(ImageSpec.oci(71, 400_000, 300_000, 2_000_000));
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 1; i <= TAGS; i++) {
            GeneratedImage image = variant(base, i);
            wanted.put(
                    "mirror/apps/web:v" + i,
                    images.push("apps/web", "v" + i, image).digest());
        }
        for (int i = 1; i <= 2; i++) {
            GeneratedImage image = variant(base, 100 + i);
            wanted.put(
                    "mirror/apps/api:v" + i,
                    images.push("apps/api", "v" + i, image).digest());
        }
        Path file = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true, maxConcurrencyPerRepository: 6 }
        defaults:
          trigger: { manual: true }
        policies:
          - name: apps
            source: { registry: source, repositories: ["apps/*"] }
            targets: [ { registry: mirror, prefix: "mirror/" } ]
        """.formatted(source.url(), mirror.url()));
        LogMark mark = mirror.registry().mark();
        LogMark read = source.registry().mark();

        FerryProcess.Result run = FerryProcess.run(
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        List<AccessLogEntry> log = mirror.registry().accessLogSince(mark);
        List<AccessLogEntry> reads = source.registry().accessLogSince(read);
        for (Map.Entry<String, String> tag : wanted.entrySet()) {
            assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/" + tag.getKey()))
                    .as(tag.getKey())
                    .isEqualTo(tag.getValue());
        }
        for (GeneratedBlob layer : base.layers()) {
            String hex = layer.digest().substring("sha256:".length());
            assertThat(count(
                            log,
                            e -> e.method().equals("PUT")
                                    && e.path().contains("/blobs/uploads/")
                                    && e.uri().contains(hex)
                                    && e.status() == 201))
                    .as("uploads of layer " + layer.digest())
                    .isEqualTo(1);
            assertThat(count(
                            log,
                            e -> e.method().equals("POST")
                                    && e.uri().contains("mount=sha256%3A" + hex)
                                    && e.status() == 201))
                    .as("mounts of layer " + layer.digest())
                    .isEqualTo(1);
        }
        assertThat(log)
                .as("no half-written upload was ever started over")
                .noneMatch(e -> e.method().equals("PATCH"));
        RequestCounts.print("ferry standalone --once", "target", log, wanted.size());
        RequestCounts.print("ferry standalone --once", "source", reads, wanted.size());

        // The same images with skopeo copy, one process per image, into repositories of their own.
        LogMark skopeoMark = mirror.registry().mark();
        LogMark skopeoRead = source.registry().mark();
        for (String tag : wanted.keySet()) {
            String path = tag.substring("mirror/".length());
            skopeo.copy("docker://" + source.host() + "/" + path, "docker://" + mirror.host() + "/skopeo/" + path);
        }
        RequestCounts.print("skopeo copy", "target", mirror.registry().accessLogSince(skopeoMark), wanted.size());
        RequestCounts.print("skopeo copy", "source", source.registry().accessLogSince(skopeoRead), wanted.size());
        for (Map.Entry<String, String> tag : wanted.entrySet()) {
            String path = tag.getKey().substring("mirror/".length());
            assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/skopeo/" + path))
                    .isEqualTo(tag.getValue());
        }
    }

    @Test
    void twoPoliciesInDifferentTiersThatWriteOneTagWriteItOnce(@TempDir Path dir) throws Exception {
        String digest = TestImages.forRegistry(source.registry())
                .pushOciImage("dup/app", "v1", 72, 5000, 7000)
                .digest();
        Path file = Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        defaults:
          trigger: { manual: true }
        policies:
          - name: urgent
            source: { registry: source, repositories: ["dup/app"] }
            targets: [ { registry: mirror, prefix: "same/" } ]
            tier: critical
          - name: routine
            source: { registry: source, repositories: ["dup/app"] }
            targets: [ { registry: mirror, prefix: "same/" } ]
            tier: bulk
        """.formatted(source.url(), mirror.url()));
        LogMark mark = mirror.registry().mark();

        FerryProcess.Result run = FerryProcess.run(
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(mirror.registry().requestsSince(mark, "PUT", "/v2/same/dup/app/manifests/v1"))
                .as("one job writes the tag; the other finds it there")
                .hasSize(1);
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/same/dup/app:v1"))
                .isEqualTo(digest);
    }

    private static long count(List<AccessLogEntry> log, Predicate<AccessLogEntry> p) {
        return log.stream().filter(p).count();
    }
}
