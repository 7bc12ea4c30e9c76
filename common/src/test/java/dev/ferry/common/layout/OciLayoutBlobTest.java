package dev.ferry.common.layout;

import static dev.ferry.common.layout.Await.failure;
import static dev.ferry.common.layout.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.mediatype.MediaTypes;
import dev.ferry.common.transport.ErrorCode;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Streaming blobs into and out of an OCI layout directory. */
@ExtendWith(VertxExtension.class)
class OciLayoutBlobTest {

    private static final String REPO = "ignored";

    @TempDir
    Path tmp;

    private Path dir;
    private OciLayoutStore store;
    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        this.dir = tmp.resolve("layout");
        this.store = new OciLayoutStore(vertx, dir);
    }

    @Test
    void aBlobIsStoredUnderItsDigestAndReadsBackThroughAPausedStream() throws Exception {
        byte[] content = TestImages.randomBytes(7, 300_000);
        Descriptor blob = TestImages.descriptorOf(MediaTypes.OCI_LAYER_GZIP, content);

        result(store.putBlob(REPO, blob, ChunkedReadStream.of(vertx, content)));

        assertThat(Files.readAllBytes(blobFile(blob.digest()))).isEqualTo(content);
        assertThat(result(store.hasBlob(REPO, blob.digest()))).isTrue();
        ReadStream<Buffer> stream = result(store.openBlob(REPO, blob));
        AtomicLong received = new AtomicLong();
        stream.handler(chunk -> received.addAndGet(chunk.length()));
        Thread.sleep(200);
        assertThat(received.get()).as("nothing flows before resume()").isZero();
        assertThat(readAll(stream)).isEqualTo(new Stats(blob.digest(), content.length));
        assertThat(filesUnder(dir.resolve("blobs"))).containsExactly(blobFile(blob.digest()));
    }

    @Test
    void bytesThatDoNotMatchTheDigestAreRejectedAndLeaveNothingBehind() {
        byte[] content = TestImages.randomBytes(1, 50_000);
        byte[] promised = TestImages.randomBytes(2, 50_000);
        Descriptor blob = TestImages.descriptorOf(MediaTypes.OCI_LAYER_GZIP, promised);

        Throwable error = failure(store.putBlob(REPO, blob, ChunkedReadStream.of(vertx, content)));

        assertThat(error)
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(blob.digest().toString())
                .hasMessageContaining(Digest.sha256(content).toString());
        DigestMismatchException mismatch = (DigestMismatchException) error;
        assertThat(mismatch.expected()).isEqualTo(blob.digest());
        assertThat(mismatch.actual()).isEqualTo(Digest.sha256(content));
        assertThat(Files.exists(blobFile(blob.digest()))).isFalse();
        assertThat(filesUnder(dir.resolve("blobs"))).isEmpty();
        assertThat(result(store.hasBlob(REPO, blob.digest()))).isFalse();
    }

    @Test
    void aSourceLongerThanItsDescriptorIsStoppedAndLeavesNothingBehind() {
        byte[] content = TestImages.randomBytes(3, 200_000);
        Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(content), 100_000);

        Throwable error = failure(store.putBlob(REPO, blob, ChunkedReadStream.of(vertx, content)));

        assertThat(error).isInstanceOf(DigestMismatchException.class).hasMessageContaining("100000");
        assertThat(filesUnder(dir.resolve("blobs"))).isEmpty();
    }

    @Test
    void aSourceThatFailsMidwayFailsWithItsOwnErrorAndLeavesNothingBehind() {
        long size = 1024 * 1024;
        Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, ChunkedReadStream.randomDigest(9, size), size);
        IOException reset = new IOException("connection reset by peer");

        Throwable error = failure(store.putBlob(
                REPO, blob, ChunkedReadStream.random(vertx, 9, size).failingAfter(size / 2, reset)));

        assertThat(error).isSameAs(reset);
        assertThat(Files.exists(blobFile(blob.digest()))).isFalse();
        assertThat(filesUnder(dir.resolve("blobs"))).isEmpty();
    }

    @Test
    void a32MiBBlobStreamsThroughIntact() throws Exception {
        long size = 32L * 1024 * 1024;
        Digest digest = ChunkedReadStream.randomDigest(32, size);
        Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, size);

        ChunkedReadStream source = ChunkedReadStream.random(vertx, 32, size);
        result(store.putBlob(REPO, blob, source));

        assertThat(source.pauses())
                .as("the file's write queue pushed back on the source")
                .isPositive();
        assertThat(Files.size(blobFile(digest))).isEqualTo(size);
        assertThat(readAll(result(store.openBlob(REPO, blob)))).isEqualTo(new Stats(digest, size));
        assertThat(filesUnder(dir.resolve("blobs"))).containsExactly(blobFile(digest));
    }

    @Test
    void puttingABlobTwiceKeepsOneCopyAndNoTempFiles() {
        byte[] content = TestImages.randomBytes(5, 70_000);
        Descriptor blob = TestImages.descriptorOf(MediaTypes.OCI_LAYER_GZIP, content);

        result(Future.all(
                store.putBlob(REPO, blob, ChunkedReadStream.of(vertx, content)),
                store.putBlob(REPO, blob, ChunkedReadStream.of(vertx, content))));
        result(store.putBlob(REPO, blob, ChunkedReadStream.of(vertx, content)));

        assertThat(filesUnder(dir.resolve("blobs"))).containsExactly(blobFile(blob.digest()));
    }

    @Test
    void openingAMissingBlobFailsWith404BlobUnknown() {
        Descriptor blob = TestImages.descriptorOf(MediaTypes.OCI_LAYER_GZIP, new byte[] {1, 2, 3});

        Throwable error = failure(store.openBlob(REPO, blob));

        assertThat(error)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(blob.digest().hex());
        assertThat(((RegistryException) error).status()).isEqualTo(404);
        assertThat(((RegistryException) error).hasCode(ErrorCode.BLOB_UNKNOWN)).isTrue();
        assertThat(result(store.hasBlob(REPO, blob.digest()))).isFalse();
    }

    @Test
    void theFirstBlobWriteCreatesTheLayout() {
        byte[] content = {1, 2, 3};
        Descriptor blob = TestImages.descriptorOf(MediaTypes.OCI_CONFIG, content);

        result(store.putBlob(REPO, blob, ChunkedReadStream.of(vertx, content)));

        assertThat(dir.resolve("oci-layout")).exists();
        assertThat(result(store.listTags(REPO))).isEmpty();
    }

    private record Stats(Digest digest, long size) {}

    /** Resumes the stream and hashes what arrives, without keeping it. */
    private static Stats readAll(ReadStream<Buffer> stream) {
        MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
        AtomicLong size = new AtomicLong();
        Promise<Stats> done = Promise.promise();
        stream.handler(chunk -> {
            md.update(chunk.getBytes());
            size.addAndGet(chunk.length());
        });
        stream.exceptionHandler(done::tryFail);
        stream.endHandler(v ->
                done.tryComplete(new Stats(new Digest("sha256", HexFormat.of().formatHex(md.digest())), size.get())));
        stream.resume();
        return result(done.future());
    }

    private Path blobFile(Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private static List<Path> filesUnder(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
