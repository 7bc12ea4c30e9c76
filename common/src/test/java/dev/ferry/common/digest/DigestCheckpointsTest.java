package dev.ferry.common.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hash checkpoints, and verifying a resumed stream from one. */
class DigestCheckpointsTest {

    private static final byte[] DATA = random(10_000, 11);
    private static final Digest DIGEST = Digest.sha256(DATA);
    private static final int STEP = 1000;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Feeds {@code DATA[0, upTo)} in uneven pieces that straddle the checkpoint boundaries. */
    private static DigestCheckpoints hashed(int upTo) {
        DigestCheckpoints hashes = new DigestCheckpoints(DIGEST, STEP);
        for (int off = 0; off < upTo; off += 777) {
            hashes.update(ByteBuffer.wrap(DATA, off, Math.min(777, upTo - off)));
        }
        return hashes;
    }

    @Test
    void checkpointsAreTakenAtEveryStepEvenInsidePieces() {
        DigestCheckpoints hashes = hashed(DATA.length);

        assertThat(hashes.count()).isEqualTo(DATA.length);
        assertThat(hashes.size()).isEqualTo(11); // 0, 1000, ..., 10000
        assertThat(HexFormat.of().formatHex(hashes.digestSoFar())).isEqualTo(DIGEST.hex());
        assertThat(hashes.latestAtOrBefore(3500))
                .get()
                .extracting(DigestCheckpoints.Checkpoint::offset)
                .isEqualTo(3000L);
        assertThat(hashes.latestAtOrBefore(4000))
                .get()
                .extracting(DigestCheckpoints.Checkpoint::offset)
                .isEqualTo(4000L);
    }

    @Test
    void hashingOnFromACheckpointGivesTheDigestOfTheWholeBlob() {
        DigestCheckpoints first = hashed(6_543);
        DigestCheckpoints.Checkpoint at = first.latestAtOrBefore(6_543).orElseThrow();

        DigestCheckpoints resumed = new DigestCheckpoints(at, STEP);
        resumed.update(ByteBuffer.wrap(DATA, (int) at.offset(), DATA.length - (int) at.offset()));

        assertThat(at.offset()).isEqualTo(6000);
        assertThat(resumed.count()).isEqualTo(DATA.length);
        assertThat(HexFormat.of().formatHex(resumed.digestSoFar())).isEqualTo(DIGEST.hex());
        // the checkpoint itself was not advanced by the resumed hashing
        assertThat(new DigestCheckpoints(first.latestAtOrBefore(6000).orElseThrow(), STEP).digestSoFar())
                .isEqualTo(sha256Prefix(6000));
    }

    @Test
    void forgettingBeforeAnAcknowledgedOffsetKeepsMemoryBounded() {
        DigestCheckpoints hashes = new DigestCheckpoints(DIGEST, STEP);
        for (int off = 0; off < DATA.length; off += 500) {
            hashes.update(ByteBuffer.wrap(DATA, off, 500));
            hashes.forgetBefore(Math.max(0, off - 2000));
        }

        assertThat(hashes.size()).isLessThanOrEqualTo(4);
        assertThat(hashes.latestAtOrBefore(7000))
                .get()
                .extracting(DigestCheckpoints.Checkpoint::offset)
                .isEqualTo(7000L);
        assertThat(hashes.latestAtOrBefore(2000)).isEmpty();
    }

    @Test
    void aResumedStreamHashesTheBytesTheTargetHoldsAndEmitsOnlyTheRest() {
        DigestCheckpoints.Checkpoint at =
                hashed(DATA.length).latestAtOrBefore(3500).orElseThrow();
        byte[] fromCheckpoint = Arrays.copyOfRange(DATA, (int) at.offset(), DATA.length);
        VerifyingReadStream stream = new VerifyingReadStream(
                InMemoryReadStream.of(fromCheckpoint, 300), DIGEST, DATA.length, new DigestCheckpoints(at, STEP), 3500);
        Buffer emitted = Buffer.buffer();
        List<Throwable> errors = new ArrayList<>();
        boolean[] ended = {false};
        stream.handler(emitted::appendBuffer).exceptionHandler(errors::add).endHandler(v -> ended[0] = true);

        stream.resume();

        assertThat(errors).isEmpty();
        assertThat(ended[0]).isTrue();
        assertThat(emitted.getBytes()).isEqualTo(Arrays.copyOfRange(DATA, 3500, DATA.length));
    }

    @Test
    void aCorruptByteInTheHashedButNotSentPartFailsTheResumedStream() {
        DigestCheckpoints.Checkpoint at =
                hashed(DATA.length).latestAtOrBefore(3500).orElseThrow();
        byte[] fromCheckpoint = Arrays.copyOfRange(DATA, (int) at.offset(), DATA.length);
        fromCheckpoint[200] ^= 0x01; // absolute offset 3200: the target holds it, we only hash it
        VerifyingReadStream stream = new VerifyingReadStream(
                InMemoryReadStream.of(fromCheckpoint, 300), DIGEST, DATA.length, new DigestCheckpoints(at, STEP), 3500);
        List<Throwable> errors = new ArrayList<>();
        boolean[] ended = {false};
        stream.handler(b -> {}).exceptionHandler(errors::add).endHandler(v -> ended[0] = true);

        stream.resume();

        assertThat(ended[0]).isFalse();
        assertThat(errors).singleElement().isInstanceOf(DigestMismatchException.class);
    }

    @Test
    void aStreamCannotEmitFromBeforeItsHashState() {
        DigestCheckpoints.Checkpoint at =
                hashed(DATA.length).latestAtOrBefore(3500).orElseThrow();

        assertThatThrownBy(() -> new VerifyingReadStream(
                        InMemoryReadStream.of(DATA, 300), DIGEST, DATA.length, new DigestCheckpoints(at, STEP), 2999))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3000");
    }

    private static byte[] sha256Prefix(int n) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(DATA, n));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
