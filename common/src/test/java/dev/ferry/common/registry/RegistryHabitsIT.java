package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.ProxiedRequest;
import dev.ferry.testing.ProxyFault;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upload and redirect habits of real-world registries, each emulated by a {@link FaultProxy} in
 * front of a real distribution registry: a minimum chunk size, relative upload Locations, a
 * refused cross-repository mount, a manifest PUT answered without its digest, and a blob GET
 * redirected to another host (as S3 and GCS presigned URLs are).
 */
@ExtendWith(VertxExtension.class)
class RegistryHabitsIT {

    static final String USER = "habits";
    static final String PASSWORD = "habits-Pw-7f3e";

    @RegisterExtension
    static RegistryExtension registry = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension locked = RegistryExtension.basicAuth(USER, PASSWORD);

    private HttpClientAgent http;
    private FaultProxy proxy;

    @BeforeEach
    void setUp(Vertx vertx) {
        http = RegistryClient.newHttpClient(vertx, 4);
        proxy = FaultProxy.start(registry.host());
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        http.close();
    }

    private RegistryClient client(String host, Credentials creds, RegistryClientOptions options) {
        return new RegistryClient(http, new RegistryEndpoint(host, true), creds, options, Clock.systemUTC());
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Descriptor blob(byte[] b) {
        return Descriptor.of("application/octet-stream", Digest.sha256(b), b.length);
    }

    private static int contentLength(ProxiedRequest r) {
        return Integer.parseInt(r.header("Content-Length").orElse("-1"));
    }

    @Test
    void chunksAreAtLeastTheMinimumTheRegistryAsksForExceptTheLast() throws Exception {
        int mib = 1024 * 1024;
        proxy.on("POST", "/v2/habits/chunks/blobs/uploads/")
                .rewriteResponseHeaders(Map.of("OCI-Chunk-Min-Length", old -> String.valueOf(2 * mib)));
        byte[] content = bytes(5 * mib + mib / 2, 1);
        RegistryClient c = client(proxy.hostPort(), Credentials.anonymous(), RegistryClientOptions.withChunkSize(mib));

        await(c.putBlob("habits/chunks", blob(content), new BufferStream(Buffer.buffer(content))));

        assertThat(proxy.requests("PATCH", "/v2/habits/chunks/blobs/uploads/.+"))
                .map(RegistryHabitsIT::contentLength)
                .containsExactly(2 * mib, 2 * mib, 3 * mib / 2);
        assertThat(await(client(registry.host(), Credentials.anonymous(), RegistryClientOptions.defaults())
                        .hasBlob("habits/chunks", blob(content).digest())))
                .isTrue();
    }

    @Test
    void aRefusedChunkedUploadFailsTemporarilyOnceAndTheRetryGoesInOnePut() throws Exception {
        proxy.on("PATCH", "/v2/habits/monolithic/blobs/uploads/.+").times(1).respond(405, null);
        byte[] content = bytes(350_000, 6);
        RegistryClient c =
                client(proxy.hostPort(), Credentials.anonymous(), RegistryClientOptions.withChunkSize(100_000));

        RegistryException refused = Futures.failure(
                c.putBlob("habits/monolithic", blob(content), new BufferStream(Buffer.buffer(content))));
        await(c.putBlob("habits/monolithic", blob(content), new BufferStream(Buffer.buffer(content))));

        assertThat(refused.isTemporary()).isTrue();
        assertThat(refused.getMessage())
                .endsWith("the registry refused a chunked upload (HTTP 405); the next attempt"
                        + " sends the blob in one PUT");
        assertThat(proxy.requests("PATCH", "/v2/habits/monolithic/blobs/uploads/.+"))
                .hasSize(1);
        assertThat(proxy.requests("PUT", "/v2/habits/monolithic/blobs/uploads/.+"))
                .singleElement()
                .satisfies(r -> assertThat(contentLength(r)).isEqualTo(content.length));
        assertThat(await(c.hasBlob("habits/monolithic", blob(content).digest())))
                .isTrue();
    }

    @Test
    void aPatchAnsweredWith201InsteadOf202IsAccepted() throws Exception {
        proxy.on("PATCH", "/v2/habits/created/blobs/uploads/.+")
                .rewriteResponseHeaders(Map.of(ProxyFault.STATUS, old -> "201"));
        byte[] content = bytes(250_000, 7);
        RegistryClient c =
                client(proxy.hostPort(), Credentials.anonymous(), RegistryClientOptions.withChunkSize(100_000));

        await(c.putBlob("habits/created", blob(content), new BufferStream(Buffer.buffer(content))));

        assertThat(proxy.requests("PATCH", "/v2/habits/created/blobs/uploads/.+"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(await(c.hasBlob("habits/created", blob(content).digest()))).isTrue();
    }

    @Test
    void relativeUploadLocationsAreFollowedOnTheRegistrysHost() throws Exception {
        UnaryOperator<String> relative = old -> old == null ? null : old.replaceFirst("^https?://[^/]+", "");
        proxy.on("*", "/v2/habits/relative/blobs/uploads/.*").rewriteResponseHeaders(Map.of("Location", relative));
        byte[] content = bytes(300_000, 2);
        RegistryClient c =
                client(proxy.hostPort(), Credentials.anonymous(), RegistryClientOptions.withChunkSize(100_000));

        await(c.putBlob("habits/relative", blob(content), new BufferStream(Buffer.buffer(content))));

        assertThat(proxy.requests("PATCH", "/v2/habits/relative/blobs/uploads/.+"))
                .hasSize(3);
        assertThat(proxy.requests("PUT", "/v2/habits/relative/blobs/uploads/.+"))
                .singleElement()
                .satisfies(r -> assertThat(r.target())
                        .contains("digest=" + blob(content).digest().toString().replace(":", "%3A")));
        assertThat(await(c.hasBlob("habits/relative", blob(content).digest()))).isTrue();
    }

    @Test
    void aRefusedMountIsReportedAsNotMountedItsSessionDeletedAndTheUploadThenWorks() throws Exception {
        byte[] content = bytes(50_000, 3);
        RegistryClient direct = client(registry.host(), Credentials.anonymous(), RegistryClientOptions.defaults());
        await(direct.putBlob("habits/from", blob(content), new BufferStream(Buffer.buffer(content))));
        proxy.on("POST", "/v2/habits/to/blobs/uploads/")
                .times(1)
                .answer(202, Map.of("Location", "/v2/habits/to/blobs/uploads/refused-mount-session"), "");
        RegistryClient c = client(proxy.hostPort(), Credentials.anonymous(), RegistryClientOptions.defaults());

        boolean mounted = await(c.mountBlob("habits/to", blob(content).digest(), "habits/from"));
        await(c.putBlob("habits/to", blob(content), new BufferStream(Buffer.buffer(content))));

        assertThat(mounted).isFalse();
        assertThat(proxy.requests("DELETE", "/v2/habits/to/blobs/uploads/refused-mount-session"))
                .hasSize(1);
        assertThat(proxy.requests("PUT", "/v2/habits/to/blobs/uploads/.+")).hasSize(1);
        assertThat(await(direct.hasBlob("habits/to", blob(content).digest()))).isTrue();
    }

    @Test
    void aManifestPutAnsweredWithoutItsDigestIsAccepted() throws Exception {
        SeededImage image = TestImages.forRegistry(registry.registry()).pushOciImage("habits/manifest", "v1", 4, 1000);
        RegistryClient direct = client(registry.host(), Credentials.anonymous(), RegistryClientOptions.defaults());
        Manifest manifest = await(direct.getManifest("habits/manifest", "v1"));
        proxy.on("PUT", "/v2/habits/manifest/manifests/.+")
                .rewriteResponseHeaders(Map.of("Docker-Content-Digest", old -> null));
        RegistryClient c = client(proxy.hostPort(), Credentials.anonymous(), RegistryClientOptions.defaults());

        await(c.putManifest("habits/manifest", "v2", manifest));

        ProxiedRequest put =
                proxy.requests("PUT", "/v2/habits/manifest/manifests/v2").get(0);
        assertThat(put.status()).isEqualTo(201);
        assertThat(await(direct.headManifest("habits/manifest", "v2")))
                .hasValueSatisfying(d -> assertThat(d.digest().toString()).isEqualTo(image.digest()));
    }

    @Test
    void aBlobRedirectedToAnotherHostGetsNoAuthorizationThere(Vertx vertx) throws Exception {
        byte[] content = bytes(70_000, 5);
        Descriptor b = blob(content);
        await(client(locked.host(), Credentials.parse(USER + ":" + PASSWORD), RegistryClientOptions.defaults())
                .putBlob("habits/redirect", b, new BufferStream(Buffer.buffer(content))));
        await(client(registry.host(), Credentials.anonymous(), RegistryClientOptions.defaults())
                .putBlob("habits/redirect", b, new BufferStream(Buffer.buffer(content))));
        try (FaultProxy front = FaultProxy.start(locked.host())) {
            // The "storage" host is another origin: the plain registry behind this test's proxy.
            front.on("GET", "/v2/habits/redirect/blobs/.+")
                    .answer(307, Map.of("Location", proxy.url() + "/v2/habits/redirect/blobs/" + b.digest()), "");
            RegistryClient c = client(
                    front.hostPort(), Credentials.parse(USER + ":" + PASSWORD), RegistryClientOptions.defaults());
            await(c.ping()); // learns the registry's Basic challenge, as any client does before its first blob

            ReadStream<Buffer> stream = await(c.openBlob("habits/redirect", b));
            Buffer read = await(Futures.collect(vertx, stream));

            assertThat(read.getBytes()).isEqualTo(content);
            assertThat(front.requests("GET", "/v2/habits/redirect/blobs/.+"))
                    .last()
                    .satisfies(r -> assertThat(r.header("Authorization")).contains("Basic"));
            assertThat(proxy.requests("GET", "/v2/habits/redirect/blobs/.+"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.header("Authorization")).isEmpty());
        }
    }
}
