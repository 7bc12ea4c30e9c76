package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Proves the test harness against real docker-registry, skopeo and the token issuer. */
class HarnessIT {

    private static final String USER = "ferry";
    private static final String PASSWORD = "s3cret-Pa55";

    @RegisterExtension
    static RegistryExtension plain = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension basic = RegistryExtension.basicAuth(USER, PASSWORD);

    @RegisterExtension
    static RegistryExtension token = RegistryExtension.tokenAuth(USER, PASSWORD);

    private final HttpClient http = RegistryPusher.defaultClient();
    private final Skopeo skopeo = new Skopeo();
    private final ObjectMapper json = new ObjectMapper();
    private TestImages plainImages;

    @BeforeEach
    void setUp() {
        plainImages = TestImages.forRegistry(plain.registry());
    }

    @AfterEach
    void tearDown() {
        plainImages.close();
    }

    @Test
    void plainRegistryServesPushedOciIndexWithTheSameDigest() {
        SeededImage index = plainImages.pushOciIndex("harness/oci-index", "v1", 42);

        String ref = index.reference(plain.host(), "harness/oci-index");
        assertThat(index.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.children()).hasSize(2);
        assertThat(skopeo.manifestDigest(ref)).isEqualTo(index.digest());
        assertThat(skopeo.rawManifest(ref)).isEqualTo(index.manifest());
        assertThat(skopeo.tags(plain.host() + "/harness/oci-index")).containsExactly("v1");
        for (SeededImage child : index.children()) {
            assertThat(skopeo.manifestDigest(plain.host() + "/harness/oci-index@" + child.digest()))
                    .isEqualTo(child.digest());
        }
        assertThat(index.children())
                .extracting(c -> c.platform().architecture())
                .containsExactly("amd64", "arm64");
        assertThat(skopeo.exists(plain.host() + "/harness/oci-index:nope")).isFalse();
    }

    @Test
    void dockerImageAndManifestListKeepTheirDigestsAndMediaTypes() throws IOException {
        SeededImage image = plainImages.pushDockerImage("harness/docker", "single", 1, 1000, 2000, 3000);
        SeededImage list = plainImages.pushDockerManifestList("harness/docker", "multi", 2);

        assertThat(skopeo.manifestDigest(image.reference(plain.host(), "harness/docker")))
                .isEqualTo(image.digest());
        assertThat(skopeo.mediaType(image.reference(plain.host(), "harness/docker")))
                .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(image.blobs()).hasSize(4);
        assertThat(skopeo.manifestDigest(list.reference(plain.host(), "harness/docker")))
                .isEqualTo(list.digest());
        assertThat(skopeo.mediaType(list.reference(plain.host(), "harness/docker")))
                .isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");

        // skopeo can parse the config (architecture, os, rootfs) through the manifest list
        String inspected = skopeo.run(List.of(
                        "inspect",
                        "--tls-verify=false",
                        "--override-arch",
                        "arm64",
                        "docker://" + list.reference(plain.host(), "harness/docker")))
                .stdoutText();
        JsonNode info = json.readTree(inspected);
        assertThat(info.path("Architecture").asText()).isEqualTo("arm64");
        assertThat(info.path("Digest").asText()).isEqualTo(list.digest());
        assertThat(info.path("Layers")).hasSize(2);
    }

    @Test
    void basicAuthRegistryRejectsAnonymousAndAcceptsTheHtpasswdUser() throws Exception {
        HttpResponse<String> anonymous = get(basic.url() + "/v2/", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .startsWith("Basic ");
        String basicHeader =
                "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(get(basic.url() + "/v2/", basicHeader).statusCode()).isEqualTo(200);
        String wrong = "Basic " + Base64.getEncoder().encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8));
        assertThat(get(basic.url() + "/v2/", wrong).statusCode()).isEqualTo(401);

        try (TestImages images = TestImages.forRegistry(basic.registry())) {
            SeededImage image = images.pushOciImage("harness/basic", "v1", 3, 4096);
            String ref = image.reference(basic.host(), "harness/basic");

            assertThat(skopeo.withCreds(USER, PASSWORD).manifestDigest(ref)).isEqualTo(image.digest());
            assertThatThrownBy(() -> skopeo.manifestDigest(ref))
                    .isInstanceOf(SkopeoException.class)
                    .hasMessageContaining("unauthorized");
            assertThatThrownBy(() -> skopeo.withCreds(USER, "wrong-" + PASSWORD).manifestDigest(ref))
                    .isInstanceOf(SkopeoException.class)
                    .hasMessageContaining("--creds ferry:***")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void tokenAuthRegistryAcceptsIssuedTokensAndSkopeoDoesTheTokenDance() throws Exception {
        TokenIssuer issuer = token.tokenIssuer();
        HttpResponse<String> anonymous = get(token.url() + "/v2/", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .startsWith("Bearer ")
                .contains("realm=\"" + issuer.realm() + "\"")
                .contains("service=\"" + issuer.service() + "\"");

        // the token endpoint itself: wrong password is refused and recorded
        String wrong = "Basic " + Base64.getEncoder().encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8));
        assertThat(get(issuer.realm() + "?service=" + issuer.service() + "&scope=repository:harness/token:pull", wrong)
                        .statusCode())
                .isEqualTo(401);
        assertThat(issuer.requests()).last().satisfies(r -> {
            assertThat(r.authenticated()).isFalse();
            assertThat(r.status()).isEqualTo(401);
        });

        // a token for another repository does not allow pushing here
        try (TestImages wrongScope = TestImages.forRegistry(
                token.url(),
                repo -> java.util.Optional.of("Bearer " + issuer.tokenFor("repository:other/repo:pull,push")))) {
            assertThatThrownBy(() -> wrongScope.pushOciImage("harness/token", "v1", 5, 1024))
                    .hasMessageContaining("401");
        }

        try (TestImages images = TestImages.forRegistry(token.registry())) {
            SeededImage image = images.pushOciImage("harness/token", "v1", 5, 1024, 8192);
            issuer.clearRequests();

            String ref = image.reference(token.host(), "harness/token");
            assertThat(skopeo.withCreds(USER, PASSWORD).manifestDigest(ref)).isEqualTo(image.digest());
            assertThat(issuer.wasRequested("repository:harness/token:pull")).isTrue();
            assertThat(issuer.requestsWithScope("repository:harness/token:pull"))
                    .allSatisfy(r -> {
                        assertThat(r.authenticated()).isTrue();
                        assertThat(r.granted()).isTrue();
                        assertThat(r.account()).isEqualTo(USER);
                        assertThat(r.service()).isEqualTo(issuer.service());
                    });
            assertThatThrownBy(() -> skopeo.manifestDigest(ref)).isInstanceOf(SkopeoException.class);
        }
    }

    @Test
    void tokenEndpointReturnsTheDocumentedJson() throws Exception {
        TokenIssuer issuer = token.tokenIssuer();
        String basicHeader =
                "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = get(
                issuer.realm() + "?service=" + issuer.service()
                        + "&scope=repository:a/b:pull,push&scope=repository:c/d:pull",
                basicHeader);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("token").asText())
                .isEqualTo(body.path("access_token").asText());
        assertThat(body.path("expires_in").asLong()).isEqualTo(300);
        String[] parts = body.path("token").asText().split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("ES256");
        assertThat(header.path("x5c")).hasSize(1);
        assertThat(claims.path("iss").asText()).isEqualTo(issuer.issuer());
        assertThat(claims.path("aud").asText()).isEqualTo(issuer.service());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);
        assertThat(claims.path("access")).hasSize(2);
        assertThat(claims.path("access").get(0).path("name").asText()).isEqualTo("a/b");
        assertThat(claims.path("access").get(0).path("actions").toString()).isEqualTo("[\"pull\",\"push\"]");
        assertThat(issuer.requests())
                .last()
                .satisfies(
                        r -> assertThat(r.scopes()).containsExactly("repository:a/b:pull,push", "repository:c/d:pull"));
    }

    @Test
    void corruptingProxyFlipsOneByteOfTheBlobButKeepsHeaders() throws Exception {
        SeededImage image = plainImages.pushOciImage("harness/corrupt", "v1", 9, 300_000);
        BlobRef layer = image.blobs().get(image.blobs().size() - 1);
        String path = "/v2/harness/corrupt/blobs/" + layer.digest();

        try (CorruptingProxy proxy =
                CorruptingProxy.start(plain.url(), CorruptingProxy.Mode.FLIP_BYTE, layer.digest())) {
            HttpResponse<byte[]> direct = getBytes(plain.url() + path);
            HttpResponse<byte[]> viaProxy = getBytes(proxy.url() + path);

            assertThat(sha256(direct.body())).isEqualTo(layer.digest());
            assertThat(viaProxy.statusCode()).isEqualTo(200);
            assertThat(viaProxy.body()).hasSize((int) layer.size());
            assertThat(sha256(viaProxy.body())).isNotEqualTo(layer.digest());
            assertThat(countDifferentBytes(direct.body(), viaProxy.body())).isEqualTo(1);
            assertThat(viaProxy.headers().firstValue("Docker-Content-Digest")).contains(layer.digest());
            assertThat(viaProxy.headers().firstValueAsLong("Content-Length")).hasValue(layer.size());
            assertThat(proxy.damagedResponses()).isEqualTo(1);

            // other blobs, manifests and HEAD pass through untouched
            BlobRef config = image.blobs().get(0);
            assertThat(sha256(getBytes(proxy.url() + "/v2/harness/corrupt/blobs/" + config.digest())
                            .body()))
                    .isEqualTo(config.digest());
            assertThat(skopeo.manifestDigest(proxy.host() + "/harness/corrupt:v1"))
                    .isEqualTo(image.digest());
            HttpResponse<Void> head = http.send(
                    HttpRequest.newBuilder(URI.create(proxy.url() + path))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(layer.size());

            proxy.mode(CorruptingProxy.Mode.PASS_THROUGH);
            assertThat(sha256(getBytes(proxy.url() + path).body())).isEqualTo(layer.digest());
        }
    }

    @Test
    void corruptingProxyTruncateModeDropsTheConnectionMidBody() throws Exception {
        SeededImage image = plainImages.pushOciImage("harness/truncate", "v1", 10, 500_000);
        BlobRef layer = image.blobs().get(1);
        try (CorruptingProxy proxy = CorruptingProxy.start(plain.url(), CorruptingProxy.Mode.TRUNCATE, null)) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(proxy.url() + "/v2/harness/truncate/blobs/" + layer.digest()))
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(layer.size());
            long read = 0;
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    read += n;
                }
            } catch (IOException expected) {
                // the connection was closed before Content-Length bytes arrived
            }
            assertThat(read).isLessThan(layer.size());
        }
    }

    @Test
    void accessLogRecordsRequestsAfterAMark() throws Exception {
        RegistryProcess registry = plain.registry();
        SeededImage image = plainImages.pushOciImage("harness/log", "v1", 11, 100);
        BlobRef config = image.blobs().get(0);
        registry.awaitRequests("PUT", "/v2/harness/log/manifests/v1", 1);
        LogMark mark = registry.mark();

        HttpResponse<Void> head = http.send(
                HttpRequest.newBuilder(URI.create(registry.url() + "/v2/harness/log/blobs/" + config.digest()))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(get(registry.url() + "/v2/harness/log/manifests/nope", null).statusCode())
                .isEqualTo(404);

        List<AccessLogEntry> heads = registry.awaitRequestsSince(
                mark, "HEAD", "/v2/harness/log/blobs/sha256:[0-9a-f]{64}", 1, java.time.Duration.ofSeconds(5));
        registry.awaitRequestsSince(mark, "GET", "/v2/harness/log/manifests/.*", 1, java.time.Duration.ofSeconds(5));
        assertThat(heads).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("/v2/harness/log/blobs/" + config.digest());
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.protocol()).isEqualTo("HTTP/1.1");
        });
        assertThat(registry.requestsSince(mark, "GET", "/v2/harness/log/manifests/nope"))
                .extracting(AccessLogEntry::status)
                .containsExactly(404);
        assertThat(registry.requestsSince(mark, "PUT", ".*")).isEmpty();
        assertThat(registry.requests("PUT", "/v2/harness/log/blobs/uploads/.*")).isNotEmpty();
        assertThat(registry.accessLogSince(mark)).hasSize(2);
    }

    @Test
    void largeLayerIsStreamedAndStoredIntact() {
        long size = 80L * 1024 * 1024;
        SeededImage image = plainImages.pushLargeLayerImage("harness/large", "v1", size, 12);
        BlobRef big = image.blobs().get(2);

        assertThat(big.size()).isBetween(size, size + size / 1000 + 4096);
        assertThat(skopeo.manifestDigest(image.reference(plain.host(), "harness/large")))
                .isEqualTo(image.digest());
        Path stored = plain.registry()
                .storageDir()
                .resolve("docker/registry/v2/blobs/sha256")
                .resolve(Digests.hex(big.digest()).substring(0, 2))
                .resolve(Digests.hex(big.digest()))
                .resolve("data");
        assertThat(stored).exists();
        assertThat(Digests.sha256(stored)).isEqualTo(big.digest());
    }

    @Test
    void ociLayoutIsReadBySkopeoAndCopiedToARegistryWithoutDigestChanges(@TempDir Path dir) {
        Path layout = dir.resolve("layout");
        try (TestImages offline = TestImages.offline()) {
            SeededImage single = offline.writeOciLayout(layout, "single", ImageSpec.oci(20, 5000, 2_000_000));
            SeededImage index = offline.writeOciLayoutIndex(layout, "multi", ImageFormat.OCI, 21);

            assertThat(Files.exists(layout.resolve("oci-layout"))).isTrue();
            assertThat(skopeo.manifestDigest("oci:" + layout + ":single")).isEqualTo(single.digest());
            assertThat(skopeo.manifestDigest("oci:" + layout + ":multi")).isEqualTo(index.digest());

            skopeo.copy("oci:" + layout + ":single", plain.host() + "/harness/from-layout:single");
            skopeo.copy("oci:" + layout + ":multi", plain.host() + "/harness/from-layout:multi", "--all");
            assertThat(skopeo.manifestDigest(plain.host() + "/harness/from-layout:single"))
                    .isEqualTo(single.digest());
            assertThat(skopeo.manifestDigest(plain.host() + "/harness/from-layout:multi"))
                    .isEqualTo(index.digest());
        }
    }

    @Test
    void sameSeedGivesSameDigestsAndDifferentSeedsDiffer() {
        try (TestImages offline = TestImages.offline()) {
            GeneratedImage a = offline.generate(ImageSpec.oci(7, 1000, 2_000_000));
            GeneratedImage b = offline.generate(ImageSpec.oci(7, 1000, 2_000_000));
            GeneratedImage c = offline.generate(ImageSpec.oci(8, 1000, 2_000_000));
            assertThat(a.digest()).isEqualTo(b.digest());
            assertThat(a.allBlobs())
                    .extracting(GeneratedBlob::digest)
                    .isEqualTo(b.allBlobs().stream().map(GeneratedBlob::digest).toList());
            assertThat(c.digest()).isNotEqualTo(a.digest());
            assertThat(a.layers().get(1).data()).isInstanceOf(BlobData.OnDisk.class);
            assertThat(a.digest()).isEqualTo(Digests.sha256(a.manifest()));
        }
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) {
        return Digests.sha256(bytes);
    }

    private static int countDifferentBytes(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int different = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                different++;
            }
        }
        return different;
    }
}
