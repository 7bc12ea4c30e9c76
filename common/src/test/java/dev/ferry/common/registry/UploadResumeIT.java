package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.await;
import static dev.ferry.common.registry.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.BlobUpload;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.ErrorCode;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RegistryExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resumable uploads with the client against distribution 2.8, and what that registry does
 * when a PATCH breaks: it keeps the session usable only if no byte of the broken PATCH
 * arrived. Its upload URLs carry a signed state with the offset of the last completed
 * request; once the stored size differs from it, GET and PATCH on the session answer
 * 404 BLOB_UPLOAD_INVALID.
 */
@ExtendWith(VertxExtension.class)
class UploadResumeIT {

    private static final int CHUNK = 1_000_000;
    private static final byte[] DATA = random(3_500_000);
    private static final Descriptor BLOB = Descriptor.of("application/octet-stream", Digest.sha256(DATA), DATA.length);

    @RegisterExtension
    static RegistryExtension registry = RegistryExtension.plain();

    private HttpClientAgent http;
    private FaultProxy proxy;
    private RegistryClient client;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(9).nextBytes(b);
        return b;
    }

    private Vertx vertx;

    /**
     * Runs a client call on a Vert.x context, as the worker always does: the upload's idle
     * watchdog needs one, and a call that starts synchronously would otherwise run on the
     * test's thread.
     */
    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> call) {
        io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
        vertx.runOnContext(v -> call.get().onComplete(result));
        return result.future();
    }

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        http = RegistryClient.newHttpClient(vertx, 4);
        proxy = FaultProxy.start(registry.host());
        client = new RegistryClient(
                http,
                new RegistryEndpoint(proxy.hostPort(), true),
                Credentials.anonymous(),
                RegistryClientOptions.withChunkSize(CHUNK),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        http.close();
    }

    @Test
    void aPatchThatDiesBeforeItsBodyLeavesASessionThatResumesAtTheLastAcknowledgedChunk() throws Exception {
        proxy.on("PATCH", "/v2/resume/blob/blobs/uploads/.+").skip(2).times(1).cutRequestBodyAfter(0);
        BlobUpload upload = new BlobUpload();

        RegistryException broken = failure(onContext(() -> client.putBlob("resume/blob", BLOB, stream(0), upload)));

        assertThat(broken.isTemporary()).isTrue();
        assertThat(upload.isOpen()).isTrue();
        assertThat(upload.offset()).isEqualTo(2L * CHUNK);
        assertThat(await(client.uploadedBytes("resume/blob", upload))).isEqualTo(2L * CHUNK);

        await(onContext(() -> client.putBlob("resume/blob", BLOB, stream(2 * CHUNK), upload)));

        assertThat(upload.isOpen()).isFalse();
        assertThat(await(client.hasBlob("resume/blob", BLOB.digest()))).isTrue();
        assertThat(proxy.requests("POST", ".*")).hasSize(1);
        assertThat(proxy.requests("PATCH", ".*"))
                .extracting(r -> r.header("Content-Range").orElseThrow())
                .containsExactly(
                        "0-999999", "1000000-1999999", "2000000-2999999", "2000000-2999999", "3000000-3499999");
    }

    @Test
    void aPatchCutInsideItsBodyMakesDistributionRefuseTheSession() {
        proxy.on("PATCH", "/v2/refused/blob/blobs/uploads/.+").skip(1).times(1).cutRequestBodyAfter(300_000);
        BlobUpload upload = new BlobUpload();

        failure(onContext(() -> client.putBlob("refused/blob", BLOB, stream(0), upload)));
        RegistryException status = failure(client.uploadedBytes("refused/blob", upload));

        assertThat(upload.offset()).isEqualTo(CHUNK);
        assertThat(status.status()).isEqualTo(404);
        assertThat(status.hasCode(ErrorCode.BLOB_UPLOAD_INVALID)).isTrue();
    }

    @Test
    void aBrokenMonolithicUploadIsNotKeptForResuming() {
        byte[] small = random(200_000);
        Descriptor blob = Descriptor.of("application/octet-stream", Digest.sha256(small), small.length);
        proxy.on("PUT", "/v2/small/blob/blobs/uploads/.+").times(1).cutRequestBodyAfter(1000);
        BlobUpload upload = new BlobUpload();

        failure(onContext(() -> client.putBlob("small/blob", blob, new BufferStream(Buffer.buffer(small)), upload)));

        assertThat(upload.isOpen()).isFalse();
        assertThat(proxy.awaitRequests("DELETE", "/v2/small/blob/blobs/uploads/.+", 1, java.time.Duration.ofSeconds(5)))
                .hasSize(1);
    }

    private static BufferStream stream(int from) {
        return new BufferStream(Buffer.buffer(DATA).getBuffer(from, DATA.length));
    }
}
