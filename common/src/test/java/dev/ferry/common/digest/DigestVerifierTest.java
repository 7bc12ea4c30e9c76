package dev.ferry.common.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigestVerifierTest {

    private static final byte[] DATA = bytes(10_000, 11);
    private static final Digest DATA_DIGEST = Digest.sha256(DATA);

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Feeds {@code data} in chunks of {@code chunk} bytes. */
    private static void feed(DigestVerifier v, byte[] data, int chunk) {
        for (int off = 0; off < data.length; off += chunk) {
            v.update(Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk)));
        }
    }

    @Test
    void acceptsMatchingContentInOneChunk() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, DATA.length);
        v.update(DATA);

        assertThat(v.verify()).isEqualTo(DATA_DIGEST);
        assertThat(v.count()).isEqualTo(DATA.length);
    }

    @Test
    void acceptsMatchingContentInManyChunksOfBothKinds() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, DATA.length);
        for (int off = 0; off < DATA.length; off += 777) {
            byte[] chunk = Arrays.copyOfRange(DATA, off, Math.min(DATA.length, off + 777));
            if ((off / 777) % 2 == 0) {
                v.update(chunk);
            } else {
                v.update(Buffer.buffer(chunk));
            }
        }

        assertThat(v.verify()).isEqualTo(DATA_DIGEST);
    }

    @Test
    void acceptsEmptyContent() {
        DigestVerifier v = new DigestVerifier(Digest.sha256(new byte[0]), 0);

        assertThat(v.verify()).isEqualTo(Digest.sha256(new byte[0]));
    }

    @Test
    void unknownSizeSkipsTheSizeCheck() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, -1);
        feed(v, DATA, 1000);

        assertThat(v.verify()).isEqualTo(DATA_DIGEST);
    }

    @Test
    void verifiesSha512() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        Digest sha512 = new Digest(
                "sha512",
                HexFormat.of()
                        .formatHex(Digest.Algorithm.SHA512.newMessageDigest().digest(abc)));
        DigestVerifier v = new DigestVerifier(sha512, 3);
        v.update(abc);

        assertThat(v.verify()).isEqualTo(sha512);
    }

    @Test
    void failsAsSoonAsMoreBytesArriveThanExpected() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, 2500);
        v.update(Arrays.copyOfRange(DATA, 0, 1000));
        v.update(Arrays.copyOfRange(DATA, 1000, 2000));
        v.update(Arrays.copyOfRange(DATA, 2000, 2500)); // exactly the size: still fine

        DigestMismatchException e = catchThrowableOfType(DigestMismatchException.class, () -> v.update(new byte[] {1}));

        assertThat(e).isNotNull();
        assertThat(e.expected()).isEqualTo(DATA_DIGEST);
        assertThat(e.expectedSize()).isEqualTo(2500);
        assertThat(e.actualSize()).isEqualTo(2501);
        assertThat(e.actual()).as("not hashed to the end").isNull();
        assertThat(e.getMessage())
                .contains(DATA_DIGEST.toString())
                .contains("2500")
                .contains("larger");
    }

    @Test
    void oversizedSourceFailsOnTheChunkThatCrossesTheSize() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, 100);

        DigestMismatchException e = catchThrowableOfType(DigestMismatchException.class, () -> v.update(DATA));

        assertThat(e).isNotNull();
        assertThat(e.actualSize()).isEqualTo(DATA.length);
    }

    @Test
    void tooFewBytesFailAtVerifyWithBothSizes() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, DATA.length);
        byte[] truncated = Arrays.copyOf(DATA, DATA.length - 1);
        assertThatCode(() -> feed(v, truncated, 4096)).doesNotThrowAnyException();

        DigestMismatchException e = catchThrowableOfType(DigestMismatchException.class, v::verify);

        assertThat(e).isNotNull();
        assertThat(e.expectedSize()).isEqualTo(DATA.length);
        assertThat(e.actualSize()).isEqualTo(DATA.length - 1);
        assertThat(e.actual()).isEqualTo(Digest.sha256(truncated));
        assertThat(e.getMessage())
                .contains(String.valueOf(DATA.length))
                .contains(String.valueOf(DATA.length - 1))
                .contains("size");
    }

    @Test
    void sameSizeDifferentContentFailsAtVerifyNamingExpectedAndActual() {
        byte[] corrupt = DATA.clone();
        corrupt[corrupt.length / 2] ^= 0x01;
        Digest actual = Digest.sha256(corrupt);
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, DATA.length);
        feed(v, corrupt, 1024);

        DigestMismatchException e = catchThrowableOfType(DigestMismatchException.class, v::verify);

        assertThat(e).isNotNull();
        assertThat(e.expected()).isEqualTo(DATA_DIGEST);
        assertThat(e.actual()).isEqualTo(actual);
        assertThat(e.getMessage()).contains(DATA_DIGEST.toString()).contains(actual.toString());
    }

    @Test
    void unknownSizeStillCatchesWrongContent() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, -1);
        v.update(Arrays.copyOf(DATA, 10));

        assertThat(catchThrowableOfType(DigestMismatchException.class, v::verify))
                .isNotNull();
    }

    @Test
    void countTracksBytesSoFar() {
        DigestVerifier v = new DigestVerifier(DATA_DIGEST, DATA.length);
        v.update(new byte[10]);
        v.update(Buffer.buffer(new byte[5]));

        assertThat(v.count()).isEqualTo(15);
    }
}
