package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.layout.OciLayoutStore;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.CorruptingProxy;
import dev.ferry.testing.LogMark;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The copy engine against real distribution registries, checked with skopeo. */
@ExtendWith(VertxExtension.class)
class ImageCopierIT {

    static final String USER = "ferry";
    static final String BASIC_PASSWORD = "basic-Pw-7f3a91";
    static final String TOKEN_PASSWORD = "token-Pw-c41d08";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension basic = RegistryExtension.basicAuth(USER, BASIC_PASSWORD);

    @RegisterExtension
    static RegistryExtension token = RegistryExtension.tokenAuth(USER, TOKEN_PASSWORD);

    private final Skopeo skopeo = new Skopeo();
    private Vertx vertx;
    private HttpClientAgent http;
    private KnownBlobs known;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        this.http = RegistryClient.newHttpClient(vertx, 16);
        this.known = new KnownBlobs(1000);
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    private ImageLocation at(RegistryExtension registry, Credentials creds, String repo, String ref) {
        return at(registry.host(), creds, repo, ref);
    }

    private ImageLocation at(String host, Credentials creds, String repo, String ref) {
        RegistryClient client = new RegistryClient(
                http, new RegistryEndpoint(host, true), creds, RegistryClientOptions.defaults(), Clock.systemUTC());
        return new ImageLocation(client, host, repo, ref);
    }

    private ImageLocation at(RegistryExtension registry, String repo, String ref) {
        return at(registry, Credentials.anonymous(), repo, ref);
    }

    private CopyResult copy(ImageLocation from, ImageLocation to) throws Exception {
        return Await.result(ImageCopier.builder(vertx, CopyOptions.defaults(), known)
                .build()
                .copy(from, to, new CopyProgress()));
    }

    private String digestAt(RegistryExtension registry, String repoAndTag) {
        return skopeo.manifestDigest("docker://" + registry.host() + "/" + repoAndTag);
    }

    @Test
    void singlePlatformOciImageArrivesWithTheSameDigest() throws Exception {
        SeededImage image =
                TestImages.forRegistry(source.registry()).pushOciImage("single/app", "v1", 1, 2048, 300_000);

        CopyResult result = copy(at(source, "single/app", "v1"), at(target, "mirror/single/app", "v1"));

        assertThat(result.blobsCopied()).isEqualTo(3);
        assertThat(digestAt(target, "mirror/single/app:v1")).isEqualTo(image.digest());
    }

    @Test
    void twoPlatformOciIndexArrivesWholeWithTheSameDigests() throws Exception {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("multi/app", "v2", 2, 4096, 100_000);

        CopyResult result = copy(at(source, "multi/app", "v2"), at(target, "multi/app", "v2"));

        assertThat(index.children()).hasSize(2);
        assertThat(result.manifestsPushed()).isEqualTo(3);
        assertThat(digestAt(target, "multi/app:v2")).isEqualTo(index.digest());
        for (String child : index.childDigests()) {
            assertThat(skopeo.manifestDigest("docker://" + target.host() + "/multi/app@" + child))
                    .isEqualTo(child);
        }
    }

    @Test
    void dockerManifestListKeepsItsMediaTypeAndDigest() throws Exception {
        SeededImage list =
                TestImages.forRegistry(source.registry()).pushDockerManifestList("docker/app", "v3", 3, 5000, 70_000);

        copy(at(source, "docker/app", "v3"), at(target, "docker/app", "v3"));

        String ref = "docker://" + target.host() + "/docker/app:v3";
        assertThat(skopeo.manifestDigest(ref)).isEqualTo(list.digest());
        assertThat(skopeo.mediaType(ref)).isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");
    }

    @Test
    void layerOver64MiBIsSentInChunks() throws Exception {
        long size = 80L * 1024 * 1024;
        SeededImage image = TestImages.forRegistry(source.registry()).pushLargeLayerImage("big/app", "v1", size, 4);
        LogMark mark = target.registry().mark();

        copy(at(source, "big/app", "v1"), at(target, "big/app", "v1"));

        assertThat(digestAt(target, "big/app:v1")).isEqualTo(image.digest());
        // 80 MiB in 64 MiB chunks: two PATCHes, then the committing PUT with the digest.
        assertThat(target.registry().requestsSince(mark, "PATCH", "/v2/big/app/blobs/uploads/.*"))
                .hasSize(2)
                .allMatch(e -> e.status() == 202);
        assertThat(target.registry().requestsSince(mark, "PUT", "/v2/big/app/blobs/uploads/.*"))
                .anyMatch(e -> e.uri().contains("digest=") && e.status() == 201);
    }

    @Test
    void sameRegistryCopyMountsAndRepeatCopySkipsExistingBlobs() throws Exception {
        SeededImage image = TestImages.forRegistry(target.registry()).pushOciImage("team-a/app", "v1", 5, 1000, 2000);
        LogMark mark = target.registry().mark();

        CopyResult mounted = copy(at(target, "team-a/app", "v1"), at(target, "team-b/app", "v1"));

        assertThat(mounted.blobsMounted()).isEqualTo(3);
        assertThat(target.registry().requestsSince(mark, "POST", "/v2/team-b/app/blobs/uploads/"))
                .hasSize(3)
                .allMatch(e -> e.uri().contains("mount=") && e.uri().contains("from=team-a") && e.status() == 201);
        assertThat(target.registry().requestsSince(mark, "PATCH", ".*")).isEmpty();
        assertThat(digestAt(target, "team-b/app:v1")).isEqualTo(image.digest());

        LogMark again = target.registry().mark();
        CopyResult skipped = copy(at(target, "team-a/app", "v1"), at(target, "team-b/app", "v1-copy"));

        assertThat(skipped.blobsSkipped()).isEqualTo(3);
        assertThat(target.registry().requestsSince(again, "HEAD", "/v2/team-b/app/blobs/sha256:.*"))
                .as("this worker just placed them there")
                .isEmpty();
        assertThat(target.registry().requestsSince(again, "POST", ".*")).isEmpty();

        known = new KnownBlobs(1000); // another worker: it looks
        LogMark fresh = target.registry().mark();
        assertThat(copy(at(target, "team-a/app", "v1"), at(target, "team-b/app", "v1-again"))
                        .blobsSkipped())
                .isEqualTo(3);
        assertThat(target.registry().requestsSince(fresh, "HEAD", "/v2/team-b/app/blobs/sha256:.*"))
                .hasSize(3)
                .allMatch(e -> e.status() == 200);
    }

    @Test
    void smallBlobsFallBackFromTheSingleRequestUploadOnceAndStillArriveWhole() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("single/app", "v1", 12, 3000, 5000);
        LogMark mark = target.registry().mark();

        copy(at(source, "single/app", "v1"), at(target, "single/app", "v1"));

        assertThat(digestAt(target, "single/app:v1")).isEqualTo(image.digest());
        // distribution 2.8 opens a session instead (202): the blob goes into it, and the client
        // does not try the single request again.
        java.util.List<dev.ferry.testing.AccessLogEntry> posts =
                target.registry().requestsSince(mark, "POST", "/v2/single/app/blobs/uploads/");
        assertThat(posts).hasSize(3).allMatch(e -> e.status() == 202);
        assertThat(posts).filteredOn(e -> e.uri().contains("digest=")).hasSize(1);
        assertThat(target.registry().requestsSince(mark, "PUT", "/v2/single/app/blobs/uploads/.*"))
                .hasSize(3)
                .allMatch(e -> e.status() == 201);
    }

    @Test
    void blobCopiedToOneRepositoryIsMountedIntoTheNext() throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("shared/base", "v1", 6, 50_000);
        copy(at(source, "shared/base", "v1"), at(target, "fan/one", "v1"));
        LogMark mark = target.registry().mark();

        CopyResult second = copy(at(source, "shared/base", "v1"), at(target, "fan/two", "v1"));

        assertThat(second.blobsMounted()).isEqualTo(2);
        assertThat(second.blobsCopied()).isZero();
        assertThat(target.registry().requestsSince(mark, "POST", "/v2/fan/two/blobs/uploads/"))
                .allMatch(e -> e.uri().contains("from=fan%2Fone") || e.uri().contains("from=fan/one"));
    }

    @Test
    void copiesToAndFromAnOciLayoutKeepTheDigest(@TempDir Path dir) throws Exception {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("layout/app", "v1", 7, 3000, 9000);
        Path layout = dir.resolve("layout");
        ImageLocation oci = new ImageLocation(new OciLayoutStore(vertx, layout), "oci:" + layout, "", "v1");

        copy(at(source, "layout/app", "v1"), oci);
        assertThat(skopeo.manifestDigest("oci:" + layout + ":v1")).isEqualTo(index.digest());

        copy(
                new ImageLocation(new OciLayoutStore(vertx, layout), "oci:" + layout, "", "v1"),
                at(target, "from-layout/app", "v1"));
        assertThat(digestAt(target, "from-layout/app:v1")).isEqualTo(index.digest());
    }

    @Test
    void basicAuthRegistryAcceptsTheRightPasswordAndNamesTheUserOnAWrongOne() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("auth/app", "v1", 8, 1000);

        copy(at(source, "auth/app", "v1"), at(basic, Credentials.basic(USER, BASIC_PASSWORD), "auth/app", "v1"));
        assertThat(skopeo.withCreds(USER, BASIC_PASSWORD).manifestDigest("docker://" + basic.host() + "/auth/app:v1"))
                .isEqualTo(image.digest());

        assertThatThrownBy(() -> copy(
                        at(source, "auth/app", "v1"),
                        at(basic, Credentials.basic(USER, "wrong-" + BASIC_PASSWORD), "auth/app", "v2")))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(401))
                .hasMessageNotContaining(BASIC_PASSWORD);
    }

    @Test
    void bearerTokenRegistryIsReadWithOneTokenPerScope() throws Exception {
        SeededImage image = TestImages.forRegistry(token.registry()).pushOciImage("tok/app", "v1", 9, 1000, 2000, 3000);
        token.tokenIssuer().clearRequests();

        copy(at(token, Credentials.basic(USER, TOKEN_PASSWORD), "tok/app", "v1"), at(target, "tok/app", "v1"));

        assertThat(digestAt(target, "tok/app:v1")).isEqualTo(image.digest());
        // One manifest and four blob reads share the pull scope: the token is cached.
        assertThat(token.tokenIssuer().requestsWithScope("repository:tok/app:pull"))
                .hasSize(1);
    }

    @Test
    void bearerTokenRegistryRefusesAWrongPasswordWithoutEchoingIt() {
        assertThatThrownBy(() -> copy(
                        at(token, Credentials.basic(USER, "nope-" + TOKEN_PASSWORD), "tok/none", "v1"),
                        at(target, "tok/none", "v1")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(USER)
                .hasMessageNotContaining(TOKEN_PASSWORD);
    }

    @Test
    void corruptSourceBytesFailTheCopyAndNoTagAppears() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("corrupt/app", "v1", 10, 200_000);
        try (CorruptingProxy proxy = CorruptingProxy.start(source.url(), CorruptingProxy.Mode.FLIP_BYTE, null)) {
            LogMark mark = target.registry().mark();

            assertThatThrownBy(() -> copy(
                            at(proxy.host(), Credentials.anonymous(), "corrupt/app", "v1"),
                            at(target, "corrupt/app", "v1")))
                    .isInstanceOf(DigestMismatchException.class)
                    .hasMessageContaining("expected sha256:");

            assertThat(proxy.damagedResponses()).isPositive();
            assertThat(skopeo.exists("docker://" + target.host() + "/corrupt/app:v1"))
                    .isFalse();
            assertThat(target.registry().requestsSince(mark, "PUT", "/v2/corrupt/app/manifests/.*"))
                    .isEmpty();
            assertThat(target.registry().requestsSince(mark, "PUT", "/v2/corrupt/app/blobs/uploads/.*"))
                    .noneMatch(e -> e.status() == 201
                            && e.uri().contains(image.blobs().get(1).digest().substring(7)));
        }
    }

    @Test
    void truncatedSourceFailsTheCopyAndNoTagAppears() throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("trunc/app", "v1", 11, 300_000);
        try (CorruptingProxy proxy = CorruptingProxy.start(source.url(), CorruptingProxy.Mode.TRUNCATE, null)) {
            assertThatThrownBy(() ->
                    copy(at(proxy.host(), Credentials.anonymous(), "trunc/app", "v1"), at(target, "trunc/app", "v1")));

            assertThat(skopeo.exists("docker://" + target.host() + "/trunc/app:v1"))
                    .isFalse();
        }
    }
}
