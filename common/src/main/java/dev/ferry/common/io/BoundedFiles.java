package dev.ferry.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a small file a user points Ferry at (a schedule, a token, a key, a password file)
 * without trusting it: only a regular file is opened, so a FIFO cannot block the reader and
 * {@code /dev/zero} is refused, and at most {@code limit + 1} bytes are read, so a huge file
 * cannot exhaust the heap. Symbolic links are followed (Kubernetes mounts secrets as links).
 */
public final class BoundedFiles {

    private BoundedFiles() {}

    /** A file that is not a regular file, or larger than the limit; the message names both. */
    public static final class RefusedFile extends IOException {

        private static final long serialVersionUID = 1L;

        RefusedFile(String message) {
            super(message);
        }
    }

    /**
     * The file's bytes.
     *
     * @throws RefusedFile when it is not a regular file or holds more than {@code limit} bytes
     * @throws IOException when it cannot be read (missing, no permission)
     */
    public static byte[] read(Path file, int limit) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new RefusedFile(file + " is not a regular file (it is " + kind(attributes) + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new RefusedFile(file + " is larger than " + describe(limit));
            }
            return bytes;
        }
    }

    /** {@link #read} decoded with {@code charset}. */
    public static String readString(Path file, int limit, Charset charset) throws IOException {
        return new String(read(file, limit), charset);
    }

    /** {@code 4 MiB (4194304 bytes)}, {@code 64 KiB (65536 bytes)}, or just bytes. */
    public static String describe(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB (" + bytes + " bytes)";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB (" + bytes + " bytes)";
        }
        return bytes + " bytes";
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        return "a device, FIFO or socket";
    }
}
