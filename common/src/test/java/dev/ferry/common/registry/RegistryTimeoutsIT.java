package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.await;
import static dev.ferry.common.registry.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.BlobRef;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.ProxiedRegistry;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.TestImages;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connect, first-byte and idle timeouts against a real registry behind a {@link FaultProxy}. */
@ExtendWith(VertxExtension.class)
class RegistryTimeoutsIT {

    private static final Duration SHORT = Duration.ofMillis(800);

    @RegisterExtension
    static RegistryExtension registry = RegistryExtension.plain();

    @RegisterExtension
    final ProxiedRegistry proxied = ProxiedRegistry.in(registry);

    private FaultProxy proxy;

    @BeforeEach
    void setUp() {
        proxy = proxied.proxy();
    }

    private RegistryClient viaProxy(Duration firstByte, Duration idle) {
        RegistryClientOptions options = RegistryClientOptions.withChunkSize(RegistryClientOptions.MiB)
                .withTimeouts(Duration.ofSeconds(5), firstByte, idle);
        return proxied.client(options);
    }

    @Test
    void aRegistryThatNeverAnswersFailsAfterTheFirstByteTimeoutWithATemporaryError() {
        proxy.on("GET", "/v2/").stall();
        long started = System.nanoTime();

        RegistryException e = failure(viaProxy(SHORT, Duration.ofSeconds(30)).ping());

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(e.isTemporary()).isTrue();
        assertThat(e.getMessage())
                .contains("ping")
                .contains("first-byte timeout")
                .contains("800ms")
                .contains(proxy.hostPort());
        assertThat(took).isBetween(SHORT, Duration.ofSeconds(5));
    }

    @Test
    void anUploadWhoseLastPatchIsNeverAnsweredFailsAfterTheFirstByteTimeout() {
        proxy.on("PATCH", "/v2/.+/blobs/uploads/.+").stall();
        byte[] bytes = new byte[1_500_000];
        new java.util.Random(3).nextBytes(bytes);
        Descriptor blob = descriptor(bytes);

        RegistryException e = failure(viaProxy(SHORT, Duration.ofSeconds(30))
                .putBlob("timeouts/upload", blob, new BufferStream(Buffer.buffer(bytes))));

        assertThat(e.isTemporary()).isTrue();
        assertThat(e.getMessage())
                .contains("upload blob timeouts/upload@" + blob.digest())
                .contains("first-byte timeout");
        assertThat(proxy.requests("PATCH", ".*")).hasSize(1);
    }

    @Test
    void aBlobBodyThatStopsMidwayFailsAfterTheIdleTimeoutWithATemporaryError() throws Exception {
        SeededImage image = TestImages.forRegistry(registry.registry()).pushOciImage("timeouts/pull", "v1", 4, 400_000);
        BlobRef layer = image.blobs().get(1);
        proxy.on("GET", "/v2/.+/blobs/.+").stallResponseBodyAfter(100_000);
        Descriptor blob = Descriptor.of(layer.mediaType(), Digest.parse(layer.digest()), layer.size());
        long started = System.nanoTime();

        ReadStream<Buffer> stream =
                await(viaProxy(Duration.ofSeconds(30), SHORT).openBlob("timeouts/pull", blob));
        Promise<Long> read = Promise.promise();
        long[] count = {0};
        stream.handler(b -> count[0] += b.length());
        stream.exceptionHandler(read::fail);
        stream.endHandler(v -> read.complete(count[0]));
        stream.resume();
        RegistryException e = failure(read.future());

        assertThat(count[0]).isEqualTo(100_000);
        assertThat(e.isTemporary()).isTrue();
        assertThat(e.getMessage())
                .contains("GET blob timeouts/pull@" + layer.digest())
                .contains("idle timeout")
                .contains("800ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anUploadWaitingOnASlowSourceIsNotTimedOutAsTheRegistrysFault(Vertx vertx) throws Exception {
        // The source sends 200 kB, is silent for three idle timeouts, then sends the rest: waiting on
        // the source is not the target registry's idle time (the source bounds its own stalls).
        byte[] bytes = new byte[1_500_000];
        new java.util.Random(5).nextBytes(bytes);
        Descriptor blob = descriptor(bytes);
        GappedStream slow = new GappedStream(vertx, Buffer.buffer(bytes), 200_000, 3 * SHORT.toMillis());

        await(viaProxy(Duration.ofSeconds(30), SHORT).putBlob("timeouts/slow-source", blob, slow));

        assertThat(proxy.requests("PUT", "/v2/timeouts/slow-source/blobs/uploads/.+"))
                .last()
                .satisfies(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(registry.registry().uploadSessions("timeouts/slow-source")).isEmpty();
    }

    @Test
    void anUploadTheRegistryStopsTakingFailsAfterTheIdleTimeoutNamingTheRegistryAndIsCancelled() {
        // Past the 100 kB the registry reads nothing more: once the socket buffers are full, the
        // write queue stays full. 48 MB in one PUT outgrows any loopback buffer.
        int size = 48 * 1024 * 1024;
        byte[] bytes = new byte[size];
        Descriptor blob = descriptor(bytes);
        proxy.on("PUT", "/v2/timeouts/stuck-target/blobs/uploads/.+").stallRequestBodyAfter(100_000);
        RegistryClientOptions oneBigPut = RegistryClientOptions.withChunkSize(size)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), SHORT);
        RegistryClient client = proxied.client(oneBigPut);

        RegistryException e =
                failure(client.putBlob("timeouts/stuck-target", blob, new BufferStream(Buffer.buffer(bytes))));

        assertThat(e.isTemporary()).isTrue();
        assertThat(e.getMessage())
                .contains("upload blob timeouts/stuck-target@" + blob.digest())
                .contains(proxy.hostPort())
                .contains("idle timeout")
                .contains("800ms");
        // It asks the registry to delete the session it gave up on. (Distribution 2.8 cannot: the
        // 100 kB it took no longer match the session's state token, so it answers 404 and keeps it.)
        assertThat(proxy.requests("DELETE", "/v2/timeouts/stuck-target/blobs/uploads/.+"))
                .hasSize(1);
    }

    @Test
    void aRegistryThatIsDownFailsAtOnceWithATemporaryError() {
        proxy.down();
        long started = System.nanoTime();

        RegistryException e =
                failure(viaProxy(Duration.ofSeconds(30), Duration.ofSeconds(30)).ping());

        assertThat(e.isTemporary()).isTrue();
        assertThat(e.status()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    private static Descriptor descriptor(byte[] bytes) {
        try {
            String hex = java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            return Descriptor.of("application/octet-stream", Digest.parse("sha256:" + hex), bytes.length);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
