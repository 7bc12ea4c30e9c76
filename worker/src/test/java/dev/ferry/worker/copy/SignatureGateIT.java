package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.mediatype.ArtifactFilter;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.signature.CosignKey;
import dev.ferry.common.signature.SignatureGate;
import dev.ferry.common.signature.SignatureRejectedException;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.testing.CosignArtifacts;
import dev.ferry.testing.CosignSigner;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cosign signature gate and referrer carrying in the copy engine, against real
 * distribution registries; signatures made with {@link CosignSigner}, results read with skopeo.
 */
@ExtendWith(VertxExtension.class)
class SignatureGateIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    private static final CosignSigner RELEASE = CosignSigner.ecdsaP256();
    private static final CosignSigner RELEASE_ED = CosignSigner.ed25519();
    private static final CosignSigner STRANGER = CosignSigner.ecdsaP256();

    private final Skopeo skopeo = new Skopeo();
    private Vertx vertx;
    private HttpClientAgent http;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        this.http = RegistryClient.newHttpClient(vertx, 16);
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    private ImageLocation at(RegistryExtension registry, String repo, String ref) {
        RegistryClient client = new RegistryClient(
                http,
                new RegistryEndpoint(registry.host(), true),
                Credentials.anonymous(),
                RegistryClientOptions.defaults(),
                Clock.systemUTC());
        return new ImageLocation(client, registry.host(), repo, ref);
    }

    private static List<CosignKey> keys(CosignSigner... signers) {
        return Arrays.stream(signers)
                .map(s -> CosignKey.fromPem(s.publicKeyPem()))
                .toList();
    }

    private CopyResult copy(String repo, String digest, CopyOptions options) throws Exception {
        return Await.result(ImageCopier.builder(vertx, options, new KnownBlobs(100))
                .build()
                .copy(at(source, repo, digest), at(target, repo, "v1"), new CopyProgress()));
    }

    private CopyResult copySigned(String repo, String digest, List<CosignKey> keys) throws Exception {
        return copy(repo, digest, CopyOptions.defaults().withSignatureKeys(keys));
    }

    private String ref(RegistryExtension registry, String repoAndRef) {
        return "docker://" + registry.host() + "/" + repoAndRef;
    }

    @Test
    void anUnsignedImageIsRejectedAndNothingIsWritten() {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("gate/unsigned", "v1", 201, 900);
        var mark = target.registry().mark();

        assertThatThrownBy(() -> copySigned("gate/unsigned", image.digest(), keys(RELEASE)))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("no cosign signature for " + image.digest());
        assertThat(skopeo.exists(ref(target, "gate/unsigned:v1"))).isFalse();
        // Not even a blob: the gate runs before anything is written.
        assertThat(target.registry().requestsSince(mark, "POST", ".*")).isEmpty();
        assertThat(target.registry().requestsSince(mark, "PUT", ".*")).isEmpty();
    }

    @Test
    void aSignatureByAnotherKeyIsRejected() {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("gate/stranger", "v1", 202, 900);
        STRANGER.signImage(source.registry(), "gate/stranger", image.digest());

        assertThatThrownBy(() -> copySigned("gate/stranger", image.digest(), keys(RELEASE, RELEASE_ED)))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("does not verify with any of the policy's 2 keys");
        assertThat(skopeo.exists(ref(target, "gate/stranger:v1"))).isFalse();
    }

    @Test
    void aValidSignatureForAnotherDigestIsRejected() {
        TestImages images = TestImages.forRegistry(source.registry());
        SeededImage image = images.pushOciImage("gate/swapped", "v1", 203, 900);
        SeededImage other = images.pushOciImage("gate/swapped", "v0", 204, 900);
        // A genuine signature of v0, placed where v1's signature belongs.
        RELEASE.signImageClaiming(source.registry(), "gate/swapped", image.digest(), other.digest());

        assertThatThrownBy(() -> copySigned("gate/swapped", image.digest(), keys(RELEASE)))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("the signature is for " + other.digest() + ", not for " + image.digest());
        assertThat(skopeo.exists(ref(target, "gate/swapped:v1"))).isFalse();
    }

    @Test
    void anEcdsaSignedImageIsWritten() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("gate/ecdsa", "v1", 205, 900);
        RELEASE.signImage(source.registry(), "gate/ecdsa", image.digest());

        CopyResult result = copySigned("gate/ecdsa", image.digest(), keys(STRANGER, RELEASE));

        assertThat(result.upToDate()).isFalse();
        assertThat(skopeo.manifestDigest(ref(target, "gate/ecdsa:v1"))).isEqualTo(image.digest());
        // Without referrers: true the signature itself stays behind.
        assertThat(skopeo.exists(ref(target, "gate/ecdsa:" + CosignSigner.signatureTag(image.digest()))))
                .isFalse();
    }

    @Test
    void anEd25519SignedMultiPlatformIndexIsWrittenOnItsIndexDigest() throws Exception {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("gate/ed", "v1", 206, 900);
        RELEASE_ED.signImage(source.registry(), "gate/ed", index.digest());

        copySigned("gate/ed", index.digest(), keys(RELEASE_ED));

        assertThat(skopeo.manifestDigest(ref(target, "gate/ed:v1"))).isEqualTo(index.digest());
        for (String child : index.childDigests()) {
            assertThat(skopeo.manifestDigest(ref(target, "gate/ed@" + child))).isEqualTo(child);
        }
    }

    @Test
    void aSignatureStoredAsAnOciReferrerAdmitsTheImageAndTravelsWithIt() throws Exception {
        String repo = "gate/referrer";
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", 211, 900);
        Map<String, Object> sig = RELEASE_ED.signImageAsReferrer(
                source.registry(), repo, image.digest(), image.mediaType(), image.manifest().length);

        copy(repo, image.digest(), CopyOptions.defaults().withReferrers(true).withSignatureKeys(keys(RELEASE_ED)));

        assertThat(skopeo.manifestDigest(ref(target, repo + ":v1"))).isEqualTo(image.digest());
        assertThat(skopeo.exists(ref(target, repo + ":" + CosignSigner.signatureTag(image.digest()))))
                .isFalse();
        assertThat(skopeo.manifestDigest(ref(target, repo + "@" + sig.get("digest"))))
                .isEqualTo(sig.get("digest"));
        // Found again on the target through its tag-schema index: the mirror can be verified too.
        Digest subject = Digest.parse(image.digest());
        assertThat(Await.result(new SignatureGate(keys(RELEASE_ED))
                                .admit(at(target, repo, "v1").store(), repo, subject))
                        .type())
                .isEqualTo(CosignKey.Type.ED25519);
    }

    @Test
    void aSignatureOnAChildManifestDoesNotAdmitItsIndex() {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("gate/child", "v1", 207, 900);
        RELEASE.signImage(source.registry(), "gate/child", index.childDigests().get(0));

        assertThatThrownBy(() -> copySigned("gate/child", index.digest(), keys(RELEASE)))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("no cosign signature");
        assertThat(skopeo.exists(ref(target, "gate/child:v1"))).isFalse();
    }

    @Test
    void theRegistryUnderTestHasNoReferrersApi() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("gate/api", "v1", 208, 900);

        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(source.url() + "/v2/gate/api/referrers/" + image.digest()))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        // Debian's docker-registry (distribution 2.8) has no such route: referrers travel by tag schema.
        assertThat(answer.statusCode()).isEqualTo(404);
    }

    @Test
    void withReferrersTheSignatureAttestationAndSbomReachTheTargetBeforeTheTag() throws Exception {
        String repo = "gate/carry";
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", 209, 900);
        Digest subject = Digest.parse(image.digest());
        String sigDigest = RELEASE.signImage(source.registry(), repo, image.digest());
        CosignArtifacts artifacts = CosignArtifacts.forRegistry(source.registry());
        String attDigest = artifacts.pushUnderTag(
                repo,
                subject.asTag() + ".att",
                "application/vnd.dsse.envelope.v1+json",
                "{\"payloadType\":\"application/vnd.in-toto+json\"}".getBytes(StandardCharsets.UTF_8),
                Map.of());
        Map<String, Object> sbom = artifacts.pushReferrer(
                repo,
                image.digest(),
                image.mediaType(),
                image.manifest().length,
                "application/spdx+json",
                "application/spdx+json",
                "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8),
                List.of());
        var mark = target.registry().mark();

        copy(repo, image.digest(), CopyOptions.defaults().withReferrers(true).withSignatureKeys(keys(RELEASE)));

        assertThat(skopeo.manifestDigest(ref(target, repo + ":v1"))).isEqualTo(image.digest());
        assertThat(skopeo.manifestDigest(ref(target, repo + ":" + subject.asTag() + ".sig")))
                .isEqualTo(sigDigest);
        assertThat(skopeo.manifestDigest(ref(target, repo + ":" + subject.asTag() + ".att")))
                .isEqualTo(attDigest);
        assertThat(skopeo.manifestDigest(ref(target, repo + "@" + sbom.get("digest"))))
                .isEqualTo(sbom.get("digest"));
        assertThat(new String(skopeo.rawManifest(ref(target, repo + ":" + subject.asTag())), StandardCharsets.UTF_8))
                .contains((String) sbom.get("digest"))
                .contains("application/spdx+json");
        // Consumers can check the signature on the target again.
        assertThat(Await.result(new SignatureGate(keys(RELEASE))
                        .admit(at(target, repo, "v1").store(), repo, subject)))
                .isNotNull();
        // The image tag is the last manifest written.
        var puts = target.registry().requestsSince(mark, "PUT", "/v2/" + repo + "/manifests/.*");
        assertThat(puts.get(puts.size() - 1).path()).endsWith("/manifests/v1");
    }

    @Test
    void aReferrersFilterCarriesTheSignatureAndLeavesTheSbomAndAttestationBehind() throws Exception {
        String repo = "gate/filtered";
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", 212, 900);
        Digest subject = Digest.parse(image.digest());
        Map<String, Object> sig = RELEASE.signImageAsReferrer(
                source.registry(), repo, image.digest(), image.mediaType(), image.manifest().length);
        CosignArtifacts artifacts = CosignArtifacts.forRegistry(source.registry());
        Map<String, Object> sbom = artifacts.pushReferrer(
                repo,
                image.digest(),
                image.mediaType(),
                image.manifest().length,
                "application/spdx+json",
                "application/spdx+json",
                "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8),
                List.of(sig));
        artifacts.pushUnderTag(
                repo,
                subject.asTag() + ".att",
                "application/vnd.dsse.envelope.v1+json",
                "{\"payloadType\":\"application/vnd.in-toto+json\"}".getBytes(StandardCharsets.UTF_8),
                Map.of());
        // Both referrers are listed on the source (tag schema: this registry has no referrers API).
        assertThat(new String(skopeo.rawManifest(ref(source, repo + ":" + subject.asTag())), StandardCharsets.UTF_8))
                .contains((String) sig.get("digest"))
                .contains((String) sbom.get("digest"));

        copy(
                repo,
                image.digest(),
                CopyOptions.defaults()
                        .withReferrers(true)
                        .withReferrerFilter(ArtifactFilter.of(List.of("signature"), List.of())));

        assertThat(skopeo.manifestDigest(ref(target, repo + ":v1"))).isEqualTo(image.digest());
        assertThat(skopeo.manifestDigest(ref(target, repo + "@" + sig.get("digest"))))
                .isEqualTo(sig.get("digest"));
        assertThat(skopeo.exists(ref(target, repo + "@" + sbom.get("digest")))).isFalse();
        assertThat(skopeo.exists(ref(target, repo + ":" + subject.asTag() + ".att")))
                .isFalse();
        // The target's referrers index lists the signature only.
        assertThat(new String(skopeo.rawManifest(ref(target, repo + ":" + subject.asTag())), StandardCharsets.UTF_8))
                .contains((String) sig.get("digest"))
                .doesNotContain((String) sbom.get("digest"));
    }

    @Test
    void referrersOfAnUpToDateImageAreStillCarried() throws Exception {
        String repo = "gate/late";
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", 210, 900);
        copy(repo, image.digest(), CopyOptions.defaults());
        String sigDigest = RELEASE.signImage(source.registry(), repo, image.digest());

        CopyResult again = copy(repo, image.digest(), CopyOptions.defaults().withReferrers(true));

        assertThat(again.upToDate()).isTrue();
        assertThat(skopeo.manifestDigest(ref(target, repo + ":" + CosignSigner.signatureTag(image.digest()))))
                .isEqualTo(sigDigest);
    }
}
