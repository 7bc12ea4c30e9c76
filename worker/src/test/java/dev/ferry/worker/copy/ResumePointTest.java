package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestCheckpoints;
import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.image.BlobUpload;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.RegistryException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where a retried blob transfer starts, and how long it waits first. */
class ResumePointTest {

    private static final byte[] DATA = random(50_000);
    private static final Descriptor BLOB = Descriptor.of("application/octet-stream", Digest.sha256(DATA), DATA.length);
    private static final long STEP = 4096;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(5).nextBytes(b);
        return b;
    }

    /** What a failed attempt leaves: a session acknowledged at {@code acked} after hashing {@code hashed} bytes. */
    private static ResumableUploads.Saved saved(int hashed, long acked) {
        DigestCheckpoints hashes = new DigestCheckpoints(BLOB.digest(), STEP);
        BlobUpload upload = new BlobUpload().onAcknowledged(hashes::forgetBefore);
        hashes.update(ByteBuffer.wrap(DATA, 0, hashed));
        upload.at("/v2/app/blobs/uploads/x", acked);
        return new ResumableUploads.Saved(upload, hashes);
    }

    @Test
    void resumesFromTheLatestCheckpointAtOrBeforeTheRegistrysOffset() {
        ResumePoint point =
                ResumePoint.at(saved(30_000, 20_000), 20_000, BLOB, STEP).orElseThrow();

        assertThat(point.sendFrom()).isEqualTo(20_000);
        assertThat(point.readFrom()).isEqualTo(16_384); // 4 * 4096
        assertThat(point.hashes().count()).isEqualTo(16_384);
        assertThat(point.resumed()).isTrue();
    }

    @Test
    void anOffsetBeyondWhatWasAcknowledgedButWithinWhatWasSentIsResumable() {
        // A registry that kept part of a broken PATCH reports more than the last acknowledged chunk.
        ResumePoint point =
                ResumePoint.at(saved(30_000, 20_000), 27_000, BLOB, STEP).orElseThrow();

        assertThat(point.readFrom()).isEqualTo(24_576);
        assertThat(point.sendFrom()).isEqualTo(27_000);
    }

    @Test
    void offsetsOutsideTheBlobOrBeforeTheDroppedCheckpointsCannotBeResumed() {
        assertThat(ResumePoint.at(saved(30_000, 20_000), DATA.length + 1, BLOB, STEP))
                .isEmpty();
        assertThat(ResumePoint.at(saved(30_000, 20_000), -1, BLOB, STEP)).isEmpty();
        // checkpoints before 16,384 were dropped when 20,000 bytes were acknowledged
        assertThat(ResumePoint.at(saved(30_000, 20_000), 10_000, BLOB, STEP)).isEmpty();
    }

    @Test
    void aFreshStartReadsAndSendsFromZeroWithANewSession() {
        ResumePoint point = ResumePoint.fresh(BLOB, STEP);

        assertThat(point.readFrom()).isZero();
        assertThat(point.sendFrom()).isZero();
        assertThat(point.resumed()).isFalse();
    }

    @Test
    void retriesBackOffExponentiallyAndOnlyForTemporaryErrors() {
        CopyOptions options = CopyOptions.defaults().withBlobRetries(4, Duration.ofMillis(100));
        RegistryException network = RegistryException.network("GET blob", new java.io.IOException("reset"));

        assertThat(BlobCopier.retryDelay(network, 1, options)).contains(Duration.ofMillis(100));
        assertThat(BlobCopier.retryDelay(network, 2, options)).contains(Duration.ofMillis(200));
        assertThat(BlobCopier.retryDelay(network, 3, options)).contains(Duration.ofMillis(400));
        assertThat(BlobCopier.retryDelay(network, 4, options)).isEmpty();
        assertThat(BlobCopier.retryDelay(RegistryException.fromResponse("PUT", 400, "", null), 1, options))
                .isEmpty();
        assertThat(BlobCopier.retryDelay(new DigestMismatchException(BLOB.digest(), 1, null, 2, "bad"), 1, options))
                .isEmpty();
    }

    @Test
    void aRetryAfterLongerThanTheBackoffWinsUnlessItIsTooLong() {
        CopyOptions options = CopyOptions.defaults().withBlobRetries(3, Duration.ofMillis(100));

        assertThat(BlobCopier.retryDelay(limited(Duration.ofSeconds(3)), 1, options))
                .contains(Duration.ofSeconds(3));
        assertThat(BlobCopier.retryDelay(limited(Duration.ofMillis(10)), 1, options))
                .contains(Duration.ofMillis(100));
        assertThat(BlobCopier.retryDelay(limited(BlobCopier.MAX_RETRY_AFTER.plusSeconds(1)), 1, options))
                .isEmpty();
    }

    private static RegistryException limited(Duration retryAfter) {
        return new RegistryException("PATCH: HTTP 429", 429, List.of(), retryAfter, null);
    }
}
