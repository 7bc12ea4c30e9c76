package dev.ferry.common.layout;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The small-file side of a layout: {@code oci-layout}, {@code index.json} and manifest
 * blobs. Every method blocks, so callers run them through {@code executeBlocking}.
 * Writes go to a temp file that is fsynced and renamed, so a reader (or a crash) never sees
 * a half-written file.
 */
final class LayoutDirectory {

    private static final byte[] LAYOUT_VERSION = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    private final BlobPaths paths;
    /** Serialises read-modify-write of index.json; a lost update would silently drop a tag. */
    private final Object indexLock = new Object();

    LayoutDirectory(BlobPaths paths) {
        this.paths = paths;
    }

    /** Creates the directory, {@code oci-layout} and an empty {@code index.json} where missing. */
    void create() {
        synchronized (indexLock) {
            try {
                Files.createDirectories(paths.root());
                if (!Files.exists(paths.layoutFile())) {
                    writeAtomically(paths.layoutFile(), LAYOUT_VERSION);
                }
                if (!Files.exists(paths.indexFile())) {
                    writeAtomically(paths.indexFile(), IndexFile.empty().toBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not create an OCI layout in " + paths.root(), e);
            }
        }
    }

    /** Empty when there is no index.json; the caller turns that into its own 404. */
    Optional<IndexFile> readIndex() {
        try {
            byte[] bytes = Files.readAllBytes(paths.indexFile());
            return Optional.of(IndexFile.parse(bytes, paths.indexFile().toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + paths.indexFile(), e);
        }
    }

    /** Applies {@code change} to index.json (created if missing) and writes it back atomically. */
    void updateIndex(Consumer<IndexFile> change) {
        synchronized (indexLock) {
            create();
            IndexFile index = readIndex().orElseGet(IndexFile::empty);
            change.accept(index);
            try {
                writeAtomically(paths.indexFile(), index.toBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + paths.indexFile(), e);
            }
        }
    }

    /** The bytes of a manifest blob, or empty when it is absent. Refuses oversized files before reading them. */
    Optional<byte[]> readManifestBlob(Digest digest) {
        Path file = paths.blob(digest);
        try {
            long size = Files.size(file);
            if (size > ManifestParser.MAX_MANIFEST_BYTES) {
                throw new InvalidManifestException("manifest " + digest + " in " + paths.root() + " is " + size
                        + " bytes, over the limit of " + ManifestParser.MAX_MANIFEST_BYTES + " bytes");
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** Stores small content (a manifest) under its digest unless it is already there. */
    void writeBlobIfAbsent(Digest digest, byte[] content) {
        Path file = paths.blob(digest);
        try {
            if (Files.exists(file)) {
                return;
            }
            Files.createDirectories(file.getParent());
            writeAtomically(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = paths.tempFor(target);
        try {
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                // Layouts are carried on removable media: make the bytes durable before the rename publishes them.
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
