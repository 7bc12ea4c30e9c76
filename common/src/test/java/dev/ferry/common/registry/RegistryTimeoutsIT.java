package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.await;
import static dev.ferry.common.registry.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.BlobRef;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.TestImages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connect, first-byte and idle timeouts against a real registry behind a {@link FaultProxy}. */
@ExtendWith(VertxExtension.class)
class RegistryTimeoutsIT {

  private static final Duration SHORT = Duration.ofMillis(800);

  @RegisterExtension static RegistryExtension registry = RegistryExtension.plain();

  private HttpClientAgent http;
  private FaultProxy proxy;

  @BeforeEach
  void setUp(Vertx vertx) {
    http = RegistryClient.newHttpClient(vertx, 8);
    proxy = FaultProxy.start(registry.host());
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    http.close();
  }

  private RegistryClient viaProxy(Duration firstByte, Duration idle) {
    RegistryClientOptions options = RegistryClientOptions.withChunkSize(RegistryClientOptions.MiB)
        .withTimeouts(Duration.ofSeconds(5), firstByte, idle);
    return new RegistryClient(http, new RegistryEndpoint(proxy.hostPort(), true), Credentials.anonymous(), options,
        Clock.systemUTC());
  }

  @Test
  void aRegistryThatNeverAnswersFailsAfterTheFirstByteTimeoutWithATemporaryError() {
    proxy.on("GET", "/v2/").stall();
    long started = System.nanoTime();

    RegistryException e = failure(viaProxy(SHORT, Duration.ofSeconds(30)).ping());

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(e.isTemporary()).isTrue();
    assertThat(e.getMessage()).contains("ping").contains("first-byte timeout").contains("800ms")
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
    assertThat(e.getMessage()).contains("upload blob timeouts/upload@" + blob.digest()).contains("first-byte timeout");
    assertThat(proxy.requests("PATCH", ".*")).hasSize(1);
  }

  @Test
  void aBlobBodyThatStopsMidwayFailsAfterTheIdleTimeoutWithATemporaryError() throws Exception {
    SeededImage image = TestImages.forRegistry(registry.registry()).pushOciImage("timeouts/pull", "v1", 4, 400_000);
    BlobRef layer = image.blobs().get(1);
    proxy.on("GET", "/v2/.+/blobs/.+").stallResponseBodyAfter(100_000);
    Descriptor blob = Descriptor.of(layer.mediaType(), Digest.parse(layer.digest()), layer.size());
    long started = System.nanoTime();

    ReadStream<Buffer> stream = await(viaProxy(Duration.ofSeconds(30), SHORT).openBlob("timeouts/pull", blob));
    Promise<Long> read = Promise.promise();
    long[] count = {0};
    stream.handler(b -> count[0] += b.length());
    stream.exceptionHandler(read::fail);
    stream.endHandler(v -> read.complete(count[0]));
    stream.resume();
    RegistryException e = failure(read.future());

    assertThat(count[0]).isEqualTo(100_000);
    assertThat(e.isTemporary()).isTrue();
    assertThat(e.getMessage()).contains("GET blob timeouts/pull@" + layer.digest()).contains("idle timeout")
        .contains("800ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void anUploadWhoseSourceStallsFailsAfterTheIdleTimeout() {
    // The source sends 200 kB and then nothing, as a stuck source registry would.
    BufferStream stalling = new BufferStream(Buffer.buffer(new byte[200_000]), false);
    Descriptor blob = Descriptor.of("application/octet-stream",
        Digest.parse("sha256:" + "0".repeat(64)), 3_000_000);

    RegistryException e = failure(viaProxy(Duration.ofSeconds(30), SHORT).putBlob("timeouts/idle-upload", blob, stalling));

    assertThat(e.isTemporary()).isTrue();
    assertThat(e.getMessage()).contains("upload blob timeouts/idle-upload").contains("idle timeout");
  }

  @Test
  void aRegistryThatIsDownFailsAtOnceWithATemporaryError() {
    proxy.down();
    long started = System.nanoTime();

    RegistryException e = failure(viaProxy(Duration.ofSeconds(30), Duration.ofSeconds(30)).ping());

    assertThat(e.isTemporary()).isTrue();
    assertThat(e.status()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  private static Descriptor descriptor(byte[] bytes) {
    try {
      String hex = java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      return Descriptor.of("application/octet-stream", Digest.parse("sha256:" + hex), bytes.length);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
