package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.CosignSigner;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify.cosign.keys} end to end: {@code ferry standalone} admits images signed by the
 * policy's keys (with their signatures, as {@code referrers: true} asks), rejects the others,
 * audits and counts the rejections, and {@code --once} exits 1.
 */
class SignatureGateStandaloneIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private static final CosignSigner RELEASE = CosignSigner.ecdsaP256();
    private static final CosignSigner RELEASE_ED = CosignSigner.ed25519();
    private static final CosignSigner STRANGER = CosignSigner.ecdsaP256();

    private final Skopeo skopeo = new Skopeo();

    private Path schedule(Path dir, String repositories) throws Exception {
        RELEASE.writePublicKey(dir.resolve("keys/release.pub"));
        RELEASE_ED.writePublicKey(dir.resolve("keys/release-ed.pub"));
        return StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        policies:
          - name: signed
            source: { registry: source, repositories: %s }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
            referrers: true
            verify: { cosign: { keys: [keys/release.pub, keys/release-ed.pub] } }
        """.formatted(repositories));
    }

    private String at(String repoAndRef) {
        return "docker://" + mirror.host() + "/" + repoAndRef;
    }

    @Test
    void onceWritesSignedImagesWithTheirSignaturesRejectsTheRestAndExitsOne(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        SeededImage good = images.pushOciImage("once/good", "v1", 301, 1200);
        SeededImage edIndex = images.pushOciIndex("once/ed", "v1", 302, 1200);
        SeededImage unsigned = images.pushOciImage("once/unsigned", "v1", 303, 1200);
        SeededImage foreign = images.pushOciImage("once/foreign", "v1", 304, 1200);
        String goodSig = RELEASE.signImage(source.registry(), "once/good", good.digest());
        String edSig = RELEASE_ED.signImage(source.registry(), "once/ed", edIndex.digest());
        STRANGER.signImage(source.registry(), "once/foreign", foreign.digest());
        Path file = schedule(dir, "[\"once/*\"]");

        FerryProcess.Result r = FerryProcess.run(
                List.of("-DFERRY_LOG_LEVEL=INFO"),
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).contains("policy signed:").contains("2 copied").contains("2 rejected");
        assertThat(skopeo.manifestDigest(at("once/good:v1"))).isEqualTo(good.digest());
        assertThat(skopeo.manifestDigest(at("once/good:" + CosignSigner.signatureTag(good.digest()))))
                .isEqualTo(goodSig);
        assertThat(skopeo.manifestDigest(at("once/ed:v1"))).isEqualTo(edIndex.digest());
        assertThat(skopeo.manifestDigest(at("once/ed:" + CosignSigner.signatureTag(edIndex.digest()))))
                .isEqualTo(edSig);
        assertThat(skopeo.exists(at("once/unsigned:v1"))).isFalse();
        assertThat(skopeo.exists(at("once/foreign:v1"))).isFalse();
        assertThat(skopeo.exists(at("once/foreign:" + CosignSigner.signatureTag(foreign.digest()))))
                .isFalse();
        assertThat(r.stderr())
                .contains("audit: signature.rejected image/source/once/unsigned@" + unsigned.digest())
                .contains("audit: signature.rejected image/source/once/foreign@" + foreign.digest())
                .contains("does not verify with any of the policy's 2 keys");
    }

    @Test
    void rejectionsAreCountedByPolicyAndSourceRegistry(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        SeededImage good = images.pushOciImage("count/good", "v1", 311, 1200);
        images.pushOciImage("count/unsigned", "v1", 312, 1200);
        RELEASE.signImage(source.registry(), "count/good", good.digest());

        try (StandaloneServer server = StandaloneServer.start(dir, schedule(dir, "[\"count/*\"]"))) {
            FerryProcess.Result sync = server.ctl("sync", "--policy", "signed", "--wait");

            assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isNotZero();
            assertThat(server.metrics())
                    .contains("ferry_signature_rejections_total{policy=\"signed\",registry=\"source\"} 1.0");
            assertThat(skopeo.manifestDigest(at("count/good:v1"))).isEqualTo(good.digest());
            assertThat(skopeo.exists(at("count/unsigned:v1"))).isFalse();
        }
    }
}
