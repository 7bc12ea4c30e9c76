package dev.ferry.common.layout;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestVerifier;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.transport.ErrorCode;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OCI image-layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) as an {@link ImageStore}: Ferry's air-gapped path,
 * {@code oci:DIR:TAG} on the command line. Tags are the
 * {@code org.opencontainers.image.ref.name} annotations of the index.json entries.
 *
 * <p>A layout holds one set of images, so the {@code repository} argument of every method
 * is ignored. Blobs stream through {@code AsyncFile}s; index.json and manifests are small
 * and are read and written on worker threads. Updates of index.json are serialised within
 * this instance only: two stores (or two processes) writing one directory may lose a tag.
 */
public final class OciLayoutStore implements ImageStore {

    private static final int READ_BUFFER_SIZE = 64 * 1024;
    private static final OpenOptions READ_ONLY =
            new OpenOptions().setRead(true).setWrite(false).setCreate(false);

    private final Vertx vertx;
    private final Path dir;
    private final BlobPaths paths;
    private final LayoutDirectory layout;
    private final BlobWriter blobWriter;
    /** Created once per store, on the first write; retried if creating it failed. */
    private final AtomicReference<Future<Void>> created = new AtomicReference<>();

    public OciLayoutStore(Vertx vertx, Path dir) {
        this.vertx = vertx;
        this.dir = dir;
        this.paths = new BlobPaths(dir);
        this.layout = new LayoutDirectory(paths);
        this.blobWriter = new BlobWriter(vertx.fileSystem(), paths);
    }

    @Override
    public String describe() {
        return "OCI layout " + dir;
    }

    /** {@code reference} is a tag (looked up in index.json) or a digest (read from blobs/ directly). */
    @Override
    public Future<Manifest> getManifest(String repository, String reference) {
        String what = "GET manifest " + reference + " in " + describe();
        return readIndex(what, ErrorCode.MANIFEST_UNKNOWN).compose(index -> {
            Optional<Descriptor> entry =
                    isDigest(reference) ? index.findDigest(Digest.parse(reference)) : index.findTag(reference);
            if (entry.isEmpty() && !isDigest(reference)) {
                throw LayoutErrors.notFound(
                        what,
                        ErrorCode.MANIFEST_UNKNOWN,
                        "no entry in index.json has " + IndexFile.REF_NAME + "=" + reference);
            }
            Digest digest = entry.map(Descriptor::digest).orElseGet(() -> Digest.parse(reference));
            // A digest that is not in index.json (a child of an index, say) has no descriptor:
            // the parser then takes the media type from the document itself.
            String mediaType = entry.map(Descriptor::mediaType).orElse(null);
            long size = entry.map(Descriptor::size).orElse(-1L);
            return blocking(() -> layout.readManifestBlob(digest))
                    .map(bytes -> bytes.orElseThrow(() -> LayoutErrors.notFound(
                            what, ErrorCode.MANIFEST_UNKNOWN, "blob " + paths.blob(digest) + " does not exist")))
                    .map(bytes -> parseVerified(bytes, digest, size, mediaType));
        });
    }

    /** Fetches and verifies the manifest, so an entry whose blob is missing reads as absent. */
    @Override
    public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
        return getManifest(repository, reference)
                .map(manifest -> Optional.of(manifest.descriptor()))
                .recover(e -> e instanceof RegistryException re && re.isNotFound()
                        ? Future.succeededFuture(Optional.empty())
                        : Future.failedFuture(e));
    }

    /**
     * Writes the manifest bytes as a blob and, for a tag, points the tag at it in index.json.
     * For a digest reference only the blob is written (no index.json entry), after checking
     * the bytes hash to that digest.
     */
    @Override
    public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
        byte[] raw = manifest.raw();
        boolean byDigest = isDigest(reference);
        return ensureLayout()
                .compose(v -> blocking(() -> {
                    Digest digest = byDigest ? Digest.parse(reference) : manifest.digest();
                    verify(raw, digest, raw.length);
                    layout.writeBlobIfAbsent(digest, raw);
                    if (!byDigest) {
                        layout.updateIndex(index -> index.tag(reference, manifest.descriptor()));
                    }
                    return null;
                }));
    }

    @Override
    public Future<Boolean> hasBlob(String repository, Digest digest) {
        return vertx.fileSystem().exists(paths.blob(digest).toString());
    }

    /** The returned stream is paused, and closes its file when it ends or fails. */
    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
        String file = paths.blob(blob.digest()).toString();
        return vertx.fileSystem()
                .open(file, READ_ONLY)
                .<ReadStream<Buffer>>map(f -> {
                    f.pause();
                    f.setReadBufferSize(READ_BUFFER_SIZE);
                    return new SelfClosingReadStream(f);
                })
                .recover(e -> vertx.fileSystem()
                        .exists(file)
                        .compose(exists -> exists
                                ? Future.failedFuture(e)
                                : Future.failedFuture(LayoutErrors.notFound(
                                        "GET blob " + blob.digest() + " in " + describe(),
                                        ErrorCode.BLOB_UNKNOWN,
                                        "blob " + file + " does not exist"))));
    }

    /** Verifies digest and size while streaming; nothing appears under the blob's name unless both match. */
    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
        return ensureLayout().compose(v -> blobWriter.write(blob, content));
    }

    @Override
    public Future<List<String>> listTags(String repository) {
        return readIndex("GET tags in " + describe(), ErrorCode.NAME_UNKNOWN).map(IndexFile::tags);
    }

    private Future<IndexFile> readIndex(String what, ErrorCode code) {
        return blocking(() -> layout.readIndex()
                .orElseThrow(() -> LayoutErrors.notFound(
                        what,
                        code,
                        Files.isDirectory(dir)
                                ? "no OCI layout in " + dir + ": " + BlobPaths.INDEX_FILE + " is missing"
                                : "no OCI layout at " + dir + ": the directory does not exist")));
    }

    private Future<Void> ensureLayout() {
        Future<Void> current = created.get();
        if (current != null && !current.failed()) {
            return current;
        }
        Future<Void> attempt = blocking(() -> {
            layout.create();
            return null;
        });
        created.set(attempt);
        return attempt;
    }

    private static Manifest parseVerified(byte[] bytes, Digest digest, long size, String mediaType) {
        verify(bytes, digest, size);
        return ManifestParser.parse(bytes, mediaType);
    }

    private static void verify(byte[] bytes, Digest digest, long size) {
        DigestVerifier verifier = new DigestVerifier(digest, size);
        verifier.update(bytes);
        verifier.verify();
    }

    /** Tags cannot contain ':' (the distribution spec's grammar), so an algorithm prefix means a digest. */
    private static boolean isDigest(String reference) {
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            if (reference.startsWith(algorithm.label() + ":")) {
                return true;
            }
        }
        return false;
    }

    /** Unordered: the index lock already orders what must be ordered. */
    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
