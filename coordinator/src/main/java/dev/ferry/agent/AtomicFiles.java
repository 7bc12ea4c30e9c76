package dev.ferry.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Replaces a file so that a reader only ever sees the old content or the new, whole: the new
 * bytes go to a temporary file in the same directory, are flushed to disk, and are renamed
 * over the target in one step. Nothing is written when the file already holds the content,
 * and empty content is refused, so a runtime never reads an empty or half-written file.
 */
public final class AtomicFiles {

    /** Writes the whole content to an open stream; a test may fail it halfway. */
    @FunctionalInterface
    interface ContentWriter {
        void write(OutputStream out, byte[] content) throws IOException;
    }

    private static final String TEMP_PREFIX = ".ferry-";
    private static final String TEMP_SUFFIX = ".tmp";

    private final ContentWriter writer;

    public AtomicFiles() {
        this(OutputStream::write);
    }

    AtomicFiles(ContentWriter writer) {
        this.writer = writer;
    }

    /**
     * Makes {@code target} hold exactly {@code content} (UTF-8), creating its directory.
     *
     * @return true when the file was written, false when it already held the content
     * @throws IOException when it could not be written; the target is then as it was before
     */
    public boolean writeIfChanged(Path target, String content) throws IOException {
        if (content == null || content.isBlank()) {
            throw new IllegalArgumentException("refusing to write empty content to " + target);
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return false;
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
        try {
            try (OutputStream out =
                    Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.write(out, bytes);
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (Files.size(temp) != bytes.length) {
                throw new IOException("wrote " + Files.size(temp) + " of " + bytes.length + " bytes to " + temp);
            }
            readableByAll(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
        return true;
    }

    /** Whether {@code name} is one of this class's temporary files (a crash may leave one). */
    static boolean isTemporary(String name) {
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
    }

    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the default permissions stand.
        }
    }

    /** Makes the rename itself durable; where a directory cannot be opened, the rename stands as it is. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort only.
        }
    }
}
