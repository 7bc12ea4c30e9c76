package dev.ferry.common.digest;

/** Content did not hash to, or was not the size of, what its descriptor promised. */
public class DigestMismatchException extends RuntimeException {

    private final Digest expected;
    private final transient Digest actual;
    private final long expectedSize;
    private final long actualSize;

    public DigestMismatchException(Digest expected, long expectedSize, Digest actual, long actualSize, String message) {
        super(message);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.actual = actual;
        this.actualSize = actualSize;
    }

    public Digest expected() {
        return expected;
    }

    /** The digest of what arrived, or null when the stream was stopped early for its size. */
    public Digest actual() {
        return actual;
    }

    public long expectedSize() {
        return expectedSize;
    }

    public long actualSize() {
        return actualSize;
    }
}
