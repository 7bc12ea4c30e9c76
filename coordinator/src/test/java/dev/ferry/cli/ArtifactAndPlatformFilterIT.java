package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.AuthHeader;
import dev.ferry.testing.BlobData;
import dev.ferry.testing.BlobRef;
import dev.ferry.testing.Digests;
import dev.ferry.testing.GeneratedBlob;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryPusher;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content filters against real registries: {@code artifacts: { include: [helm-chart] }} copies a
 * Helm chart the test builds (an OCI manifest whose config is
 * {@code application/vnd.cncf.helm.config.v1+json}) and leaves a container image in the same
 * repository; {@code platforms: [linux/arm64]} copies one platform of a multi-platform index.
 */
class ArtifactAndPlatformFilterIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Skopeo skopeo = new Skopeo();

    /** Pushes a Helm chart as `helm push` lays it out: a chart config, one chart tarball layer. */
    private static String pushHelmChart(String repository, String tag) throws Exception {
        RegistryPusher pusher =
                new RegistryPusher(RegistryPusher.defaultClient(), URI.create(source.url()), AuthHeader.none());
        byte[] config =
                "{\"apiVersion\":\"v2\",\"name\":\"demo\",\"version\":\"0.1.0\"}".getBytes(StandardCharsets.UTF_8);
        byte[] chart = new byte[2048];
        new java.util.Random(7).nextBytes(chart);
        GeneratedBlob configBlob = new GeneratedBlob(
                Digests.sha256(config),
                config.length,
                "application/vnd.cncf.helm.config.v1+json",
                null,
                new BlobData.InMemory(config));
        GeneratedBlob chartBlob = new GeneratedBlob(
                Digests.sha256(chart),
                chart.length,
                "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                null,
                new BlobData.InMemory(chart));
        pusher.pushBlob(repository, configBlob);
        pusher.pushBlob(repository, chartBlob);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\",\"digest\":\""
                        + configBlob.digest()
                        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                        + "\"application/vnd.cncf.helm.chart.content.v1.tar+gzip\",\"digest\":\"" + chartBlob.digest()
                        + "\",\"size\":" + chart.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(manifest);
        pusher.pushManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", manifest, digest);
        return digest;
    }

    @Test
    void anArtifactsFilterCopiesTheHelmChartAndNotTheImageBesideIt(@TempDir Path dir) throws Exception {
        String chart = pushHelmChart("charts/demo", "0.1.0");
        TestImages.forRegistry(source.registry()).pushOciImage("charts/demo", "image-1", 101, 1200);
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - name: charts
            source: { registry: source, repositories: ["charts/**"] }
            targets: [ { registry: mirror, prefix: helm/ } ]
            artifacts: { include: [helm-chart] }
        """);
        FerryProcess.Result plan = FerryProcess.run(
                "plan",
                "--config",
                schedule.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--json");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isZero();
        JsonNode copies = JSON.readTree(plan.stdout())
                .path("policies")
                .get(0)
                .path("targets")
                .get(0)
                .path("copies");
        assertThat(StreamSupport.stream(copies.spliterator(), false)
                        .map(c -> c.path("tag").asText()))
                .containsExactly("0.1.0");

        FerryProcess.Result run = FerryProcess.run(
                "standalone",
                "--config",
                schedule.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        String copied = "docker://" + mirror.host() + "/helm/charts/demo";
        assertThat(skopeo.tags(copied)).containsExactly("0.1.0");
        assertThat(skopeo.manifestDigest(copied + ":0.1.0")).isEqualTo(chart);
        assertThat(new String(skopeo.rawManifest(copied + ":0.1.0"), StandardCharsets.UTF_8))
                .contains("application/vnd.cncf.helm.config.v1+json");
    }

    @Test
    void aPlatformFilterCopiesOnlyThatPlatformOfAMultiPlatformIndex(@TempDir Path dir) throws Exception {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("multi/app", "v1", 102, 1500, 900);
        SeededImage amd64 = index.children().stream()
                .filter(c -> c.platform().architecture().equals("amd64"))
                .findFirst()
                .orElseThrow();
        SeededImage arm64 = index.children().stream()
                .filter(c -> c.platform().architecture().equals("arm64"))
                .findFirst()
                .orElseThrow();
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - name: arm
            source: { registry: source, repositories: ["multi/app"] }
            targets: [ { registry: mirror, prefix: arm/ } ]
            platforms: [linux/arm64]
        """);
        FerryProcess.Result plan = FerryProcess.run(
                "plan",
                "--config",
                schedule.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--json");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isZero();
        long armBytes = arm64.blobs().stream().mapToLong(BlobRef::size).sum();
        assertThat(JSON.readTree(plan.stdout())
                        .path("policies")
                        .get(0)
                        .path("links")
                        .get(0)
                        .path("bytes")
                        .asLong())
                .isEqualTo(armBytes);

        FerryProcess.Result run = FerryProcess.run(
                "standalone",
                "--config",
                schedule.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        String copied = "docker://" + mirror.host() + "/arm/multi/app";
        JsonNode copiedIndex = JSON.readTree(skopeo.rawManifest(copied + ":v1"));
        List<String> children = StreamSupport.stream(
                        copiedIndex.path("manifests").spliterator(), false)
                .map(m -> m.path("platform").path("architecture").asText() + " "
                        + m.path("digest").asText())
                .toList();
        assertThat(children).containsExactly("arm64 " + arm64.digest());
        assertThat(skopeo.exists(copied + "@" + arm64.digest())).isTrue();
        assertThat(skopeo.exists(copied + "@" + amd64.digest())).isFalse();
    }
}
