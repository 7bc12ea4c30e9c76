package dev.ferry.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while computing their SHA-256 and counting them. */
public final class HashingOutputStream extends FilterOutputStream {

    private final MessageDigest digest = Digests.newSha256();
    private long count;

    public HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        count += len;
    }

    public long count() {
        return count;
    }

    /** {@code sha256:<hex>} of everything written; call once, after the last write. */
    public String digest() {
        return Digests.format(digest.digest());
    }
}
