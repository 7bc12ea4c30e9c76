package dev.ferry.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Generates reproducible layer blobs: a tar holding one file of random bytes, gzip-compressed at
 * level 0 (stored blocks, so generation is fast and the size predictable). Real tar+gzip matters:
 * tools such as skopeo recompress layers they do not recognise as compressed, changing digests.
 * Layers above {@link #fileThreshold} are streamed to a file in the work directory.
 */
public final class LayerGenerator {

    public static final long DEFAULT_FILE_THRESHOLD = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final Path workDir;
    private final long fileThreshold;

    public LayerGenerator(Path workDir, long fileThreshold) {
        this.workDir = workDir;
        this.fileThreshold = fileThreshold;
    }

    public LayerGenerator(Path workDir) {
        this(workDir, DEFAULT_FILE_THRESHOLD);
    }

    public GeneratedBlob layer(long payloadSize, long seed, String mediaType) {
        try {
            if (payloadSize <= fileThreshold) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) payloadSize + 2048);
                LayerDigests d = write(buffer, payloadSize, seed);
                return new GeneratedBlob(
                        d.digest, d.size, mediaType, d.diffId, new BlobData.InMemory(buffer.toByteArray()));
            }
            Files.createDirectories(workDir);
            Path file = Files.createTempFile(workDir, "layer-", ".tar.gz");
            LayerDigests d;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
                d = write(out, payloadSize, seed);
            }
            return new GeneratedBlob(d.digest, d.size, mediaType, d.diffId, new BlobData.OnDisk(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record LayerDigests(String digest, long size, String diffId) {}

    private static LayerDigests write(OutputStream target, long payloadSize, long seed) throws IOException {
        HashingOutputStream compressed = new HashingOutputStream(target);
        HashingOutputStream tar;
        try (GZIPOutputStream gzip = new StoredGzipOutputStream(compressed)) {
            tar = new HashingOutputStream(gzip);
            writeTar(tar, "layer-" + Long.toHexString(seed) + ".bin", payloadSize, seed);
            tar.flush();
            gzip.finish();
        }
        return new LayerDigests(compressed.digest(), compressed.count(), tar.digest());
    }

    private static void writeTar(OutputStream out, String name, long size, long seed) throws IOException {
        out.write(tarHeader(name, size));
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[CHUNK];
        long remaining = size;
        while (remaining > 0) {
            random.nextBytes(chunk);
            int n = (int) Math.min(chunk.length, remaining);
            out.write(chunk, 0, n);
            remaining -= n;
        }
        int padding = (int) ((512 - size % 512) % 512);
        out.write(new byte[padding]);
        out.write(new byte[1024]); // end-of-archive marker
    }

    private static byte[] tarHeader(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o", size) + "\0");
        put(h, 136, String.format("%011o", 0L) + "\0");
        put(h, 148, "        ");
        h[156] = '0';
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 265, "root");
        put(h, 297, "root");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
        return h;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** gzip with stored (uncompressed) deflate blocks and the JDK's fixed header (mtime 0). */
    private static final class StoredGzipOutputStream extends GZIPOutputStream {
        StoredGzipOutputStream(OutputStream out) throws IOException {
            super(out, CHUNK);
            def.setLevel(Deflater.NO_COMPRESSION);
        }
    }
}
