package dev.ferry.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.ErrorCode;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.LogMark;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import dev.ferry.testing.TokenIssuer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry client's endpoints against a real distribution registry. */
@ExtendWith(VertxExtension.class)
class RegistryClientIT {

    @RegisterExtension
    static RegistryExtension registry = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension shortTokens = RegistryExtension.tokenAuth(
            TokenIssuer.builder().credentials("robot", "robot-Pw-55e1").expiresIn(Duration.ofSeconds(2)));

    private HttpClientAgent http;

    @BeforeEach
    void setUp(Vertx vertx) {
        http = RegistryClient.newHttpClient(vertx, 8);
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    private RegistryClient client(RegistryExtension r, Credentials creds, RegistryClientOptions options) {
        return new RegistryClient(http, new RegistryEndpoint(r.host(), true), creds, options, Clock.systemUTC());
    }

    private RegistryClient client() {
        return client(registry, Credentials.anonymous(), RegistryClientOptions.defaults());
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** Distribution 2.8 ignores {@code n} on tag lists (pagination came in 3.0), so this checks completeness. */
    @Test
    void tagListReturnsEveryTag() throws Exception {
        TestImages images = TestImages.forRegistry(registry.registry());
        for (int i = 0; i < 7; i++) {
            images.pushOciImage("paged/app", "t" + i, 31, 100);
        }
        LogMark mark = registry.registry().mark();

        List<String> tags = await(client(
                        registry,
                        Credentials.anonymous(),
                        RegistryClientOptions.defaults().withPageSize(3))
                .listTags("paged/app"));

        assertThat(tags).containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4", "t5", "t6");
        assertThat(registry.registry().requestsSince(mark, "GET", "/v2/paged/app/tags/list"))
                .isNotEmpty()
                .allMatch(e -> e.uri().contains("n=3"));
    }

    @Test
    void catalogFollowsLinkPagesToTheEnd() throws Exception {
        TestImages images = TestImages.forRegistry(registry.registry());
        images.pushOciImage("cat/one", "v1", 32, 100);
        images.pushOciImage("cat/two", "v1", 32, 100);
        images.pushOciImage("cat/three", "v1", 32, 100);
        LogMark mark = registry.registry().mark();

        List<String> repos = await(client(
                        registry,
                        Credentials.anonymous(),
                        RegistryClientOptions.defaults().withPageSize(2))
                .catalog());

        assertThat(repos).contains("cat/one", "cat/two", "cat/three").doesNotHaveDuplicates();
        // Two per page: at least two pages, each asked for through the previous page's Link.
        List<dev.ferry.testing.AccessLogEntry> pages = registry.registry().requestsSince(mark, "GET", "/v2/_catalog");
        assertThat(pages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(pages.subList(1, pages.size())).allMatch(e -> e.uri().contains("last="));
    }

    @Test
    void unknownManifestIsA404WithTheSpecCode() {
        assertThatThrownBy(() -> await(client().getManifest("nothing/here", "v0")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.isTemporary()).isFalse();
                    assertThat(e.hasCode(ErrorCode.MANIFEST_UNKNOWN) || e.hasCode(ErrorCode.NAME_UNKNOWN))
                            .isTrue();
                })
                .hasMessageContaining("nothing/here:v0");
    }

    @Test
    void headAgreesWithSkopeoAndIsEmptyForAnAbsentTag() throws Exception {
        SeededImage image = TestImages.forRegistry(registry.registry()).pushOciIndex("head/app", "v1", 33, 100, 200);

        Optional<Descriptor> found = await(client().headManifest("head/app", "v1"));
        Optional<Descriptor> absent = await(client().headManifest("head/app", "v404"));

        String skopeoDigest = new Skopeo().manifestDigest("docker://" + registry.host() + "/head/app:v1");
        assertThat(found).get().satisfies(d -> {
            assertThat(d.digest().toString()).isEqualTo(skopeoDigest).isEqualTo(image.digest());
            assertThat(d.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
            assertThat(d.size()).isEqualTo(image.manifestSize());
        });
        assertThat(absent).isEmpty();
    }

    @Test
    void deletingAManifestByDigestTakesEveryTagOfItAndLeavesOthers() throws Exception {
        TestImages images = TestImages.forRegistry(registry.registry());
        SeededImage shared = images.pushOciImage("del/app", "v1", 34, 100);
        images.pushOciImage("del/app", "v1-alias", 34, 100);
        SeededImage other = images.pushOciImage("del/app", "v2", 35, 100);

        await(client().deleteManifest("del/app", shared.digest()));

        assertThat(await(client().headManifest("del/app", "v1"))).isEmpty();
        assertThat(await(client().headManifest("del/app", "v1-alias"))).isEmpty();
        assertThat(await(client().headManifest("del/app", shared.digest()))).isEmpty();
        assertThat(new Skopeo().manifestDigest("docker://" + registry.host() + "/del/app:v2"))
                .isEqualTo(other.digest());
    }

    @Test
    void referrersFallBackToTheDigestTagWhereTheApiIsMissing() throws Exception {
        TestImages images = TestImages.forRegistry(registry.registry());
        SeededImage subject = images.pushOciImage("ref/app", "v1", 34, 100);
        Digest subjectDigest = Digest.parse(subject.digest());
        assertThat(await(client().referrers("ref/app", subjectDigest))).isEmpty();

        // An older client's signature: an index tagged sha256-<hex> listing the referrer.
        SeededImage signature = images.pushOciImage("ref/app", "sig", 35, 50);
        String fallback = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + signature.digest() + "\",\"size\":" + signature.manifestSize() + "}]}";
        await(client().putManifest(
                        "ref/app",
                        subjectDigest.asTag(),
                        dev.ferry.common.manifest.ManifestParser.parse(
                                fallback.getBytes(StandardCharsets.UTF_8), null)));

        List<Descriptor> referrers = await(client().referrers("ref/app", subjectDigest));

        assertThat(referrers)
                .singleElement()
                .satisfies(d -> assertThat(d.digest().toString()).isEqualTo(signature.digest()));
    }

    @Test
    void expiredTokensAreFetchedAgain() throws Exception {
        TestImages.forRegistry(shortTokens.registry()).pushOciImage("exp/app", "v1", 36, 100);
        RegistryClient client =
                client(shortTokens, Credentials.basic("robot", "robot-Pw-55e1"), RegistryClientOptions.defaults());
        shortTokens.tokenIssuer().clearRequests();

        await(client.headManifest("exp/app", "v1"));
        await(client.headManifest("exp/app", "v1"));
        int afterTwoQuickCalls = shortTokens
                .tokenIssuer()
                .requestsWithScope("repository:exp/app:pull")
                .size();
        Thread.sleep(2500);
        await(client.headManifest("exp/app", "v1"));

        assertThat(afterTwoQuickCalls).isEqualTo(1);
        assertThat(shortTokens.tokenIssuer().requestsWithScope("repository:exp/app:pull"))
                .hasSize(2);
    }

    @Test
    void pingSucceedsOnAnOpenRegistryAndFailsOnAWrongPassword() throws Exception {
        await(client().ping());

        assertThatThrownBy(() -> await(client(
                                shortTokens,
                                Credentials.basic("robot", "bad-pass-123"),
                                RegistryClientOptions.defaults())
                        .headManifest("exp/app", "v1")))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageNotContaining("bad-pass-123");
    }
}
