package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.testing.CosignArtifacts;
import dev.ferry.testing.CosignSigner;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code referrers: { include: [signature] }} end to end through {@code ferry standalone --once}
 * against distribution 2.8 (no referrers API: the tag schema on both sides): the signature
 * travels, the SBOM does not; {@code referrers: true} next to it still carries both.
 */
class ReferrerFilterStandaloneIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private static final CosignSigner RELEASE = CosignSigner.ecdsaP256();

    private final Skopeo skopeo = new Skopeo();

    private record Seeded(SeededImage image, String signature, String sbom) {}

    /** An image with a signature referrer and an SBOM referrer, both in its {@code sha256-<hex>} index. */
    private static Seeded seed(String repo, int seed) {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", seed, 1200);
        Map<String, Object> sig = RELEASE.signImageAsReferrer(
                source.registry(), repo, image.digest(), image.mediaType(), image.manifest().length);
        Map<String, Object> sbom = CosignArtifacts.forRegistry(source.registry())
                .pushReferrer(
                        repo,
                        image.digest(),
                        image.mediaType(),
                        image.manifest().length,
                        "application/spdx+json",
                        "application/spdx+json",
                        "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8),
                        List.of(sig));
        return new Seeded(image, (String) sig.get("digest"), (String) sbom.get("digest"));
    }

    private String at(String repoAndRef) {
        return "docker://" + mirror.host() + "/" + repoAndRef;
    }

    @Test
    void onlySignaturesTravelWhereTheFilterSaysSoAndEveryReferrerWithTrue(@TempDir Path dir) throws Exception {
        Seeded filtered = seed("only/app", 401);
        Seeded every = seed("every/app", 402);
        Path file = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        policies:
          - name: signatures-only
            source: { registry: source, repositories: [only/app] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
            referrers: { include: [signature] }
          - name: every-referrer
            source: { registry: source, repositories: [every/app] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
            referrers: true
        """);

        FerryProcess.Result r = FerryProcess.run(
                List.of("-DFERRY_LOG_LEVEL=INFO"),
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        String onlyIndex = "only/app:" + Digest.parse(filtered.image().digest()).asTag();
        assertThat(skopeo.manifestDigest(at("only/app:v1")))
                .isEqualTo(filtered.image().digest());
        assertThat(skopeo.manifestDigest(at("only/app@" + filtered.signature())))
                .isEqualTo(filtered.signature());
        assertThat(skopeo.exists(at("only/app@" + filtered.sbom()))).isFalse();
        assertThat(new String(skopeo.rawManifest(at(onlyIndex)), StandardCharsets.UTF_8))
                .contains(filtered.signature())
                .doesNotContain(filtered.sbom());
        assertThat(r.stdout() + r.stderr())
                .contains("referrers of only/app@" + filtered.image().digest() + ": left out " + filtered.sbom()
                        + " (artifactType application/spdx+json)");

        assertThat(skopeo.manifestDigest(at("every/app:v1")))
                .isEqualTo(every.image().digest());
        assertThat(skopeo.manifestDigest(at("every/app@" + every.signature()))).isEqualTo(every.signature());
        assertThat(skopeo.manifestDigest(at("every/app@" + every.sbom()))).isEqualTo(every.sbom());
    }
}
