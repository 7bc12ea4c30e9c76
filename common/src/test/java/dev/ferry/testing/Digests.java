package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers producing OCI digest strings ({@code sha256:<hex>}). */
public final class Digests {

    private Digests() {}

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    public static String sha256(byte[] bytes) {
        return format(newSha256().digest(bytes));
    }

    /** Digest of a file, read in chunks (never loads the whole file). */
    public static String sha256(Path file) {
        MessageDigest md = newSha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return format(md.digest());
    }

    public static String format(byte[] rawDigest) {
        return "sha256:" + HexFormat.of().formatHex(rawDigest);
    }

    /** The hex part of {@code sha256:<hex>}. */
    public static String hex(String digest) {
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring("sha256:".length());
    }
}
