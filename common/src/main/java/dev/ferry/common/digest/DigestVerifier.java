package dev.ferry.common.digest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Hashes bytes as they stream past and checks them against an expected digest and size.
 * Not thread-safe: feed it from one stream's handler.
 */
public final class DigestVerifier {

    private final Digest expected;
    private final long expectedSize;
    private final DigestCheckpoints md;

    /** @param expectedSize the size the descriptor promised, or -1 when unknown */
    public DigestVerifier(Digest expected, long expectedSize) {
        this(expected, expectedSize, new DigestCheckpoints(expected, Long.MAX_VALUE));
    }

    /**
     * Verifies with a hash state that may already cover a prefix of the blob (a resumed
     * upload), and that keeps checkpoints for the next resume.
     */
    public DigestVerifier(Digest expected, long expectedSize, DigestCheckpoints state) {
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.md = state;
    }

    /**
     * Adds a chunk. Fails as soon as more bytes arrive than the expected size, so an
     * oversized source is stopped before it is all read.
     */
    public void update(Buffer chunk) {
        if (chunk instanceof BufferInternal internal) {
            // Hash the bytes where they are: a copy per chunk would double the memory traffic.
            md.update(internal.getByteBuf().nioBuffer());
            afterUpdate(chunk.length());
        } else {
            update(chunk.getBytes());
        }
    }

    public void update(byte[] bytes) {
        md.update(ByteBuffer.wrap(bytes));
        afterUpdate(bytes.length);
    }

    private void afterUpdate(int length) {
        long count = md.count();
        if (expectedSize >= 0 && count > expectedSize) {
            throw new DigestMismatchException(
                    expected,
                    expectedSize,
                    null,
                    count,
                    "blob " + expected + " is larger than its descriptor says: expected " + expectedSize
                            + " bytes, received more than that (" + count + " so far)");
        }
    }

    public long count() {
        return md.count();
    }

    /** Checks the final size and digest; throws {@link DigestMismatchException} naming both. */
    public Digest verify() {
        long count = md.count();
        Digest actual = new Digest(expected.algorithm(), HexFormat.of().formatHex(md.digestSoFar()));
        if (expectedSize >= 0 && count != expectedSize) {
            throw new DigestMismatchException(
                    expected,
                    expectedSize,
                    actual,
                    count,
                    "blob " + expected + " size mismatch: expected " + expectedSize + " bytes, got " + count);
        }
        if (!actual.equals(expected)) {
            throw new DigestMismatchException(
                    expected,
                    expectedSize,
                    actual,
                    count,
                    "digest mismatch: expected " + expected + ", actual " + actual + " (" + count + " bytes)");
        }
        return actual;
    }
}
