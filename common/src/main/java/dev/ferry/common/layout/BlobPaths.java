package dev.ferry.common.layout;

import dev.ferry.common.digest.Digest;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Where each file of an OCI image layout lives. Pure path arithmetic, no I/O. */
final class BlobPaths {

    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";

    private final Path root;

    BlobPaths(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path layoutFile() {
        return root.resolve(LAYOUT_FILE);
    }

    Path indexFile() {
        return root.resolve(INDEX_FILE);
    }

    Path blobDir(String algorithm) {
        return root.resolve("blobs").resolve(algorithm);
    }

    /** {@code blobs/<alg>/<hex>}; the digest is already validated, so it cannot escape the root. */
    Path blob(Digest digest) {
        return blobDir(digest.algorithm()).resolve(digest.hex());
    }

    /**
     * A fresh temp name beside the final blob: same directory, so the commit is an atomic
     * rename; dot-prefixed and random, so concurrent uploads of one digest never collide.
     */
    Path tempBlob(Digest digest) {
        return blobDir(digest.algorithm()).resolve("." + digest.hex() + "." + randomSuffix() + ".tmp");
    }

    /** A temp name for replacing a top-level file such as index.json. */
    Path tempFor(Path file) {
        return file.resolveSibling("." + file.getFileName() + "." + randomSuffix() + ".tmp");
    }

    private static String randomSuffix() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
