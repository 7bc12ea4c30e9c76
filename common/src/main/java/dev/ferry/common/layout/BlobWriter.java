package dev.ferry.common.layout;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestVerifier;
import dev.ferry.common.manifest.Descriptor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * Streams a blob into {@code blobs/<alg>/} under a temp name, verifies it, and renames it
 * into place. The final name only ever holds complete, verified bytes: on any failure the
 * temp file is closed and deleted and the original error is reported.
 */
final class BlobWriter {

    private static final OpenOptions CREATE_NEW =
            new OpenOptions().setWrite(true).setCreateNew(true);
    private static final CopyOptions ATOMIC_REPLACE =
            new CopyOptions().setAtomicMove(true).setReplaceExisting(true);

    private final FileSystem fs;
    private final BlobPaths paths;

    BlobWriter(FileSystem fs, BlobPaths paths) {
        this.fs = fs;
        this.paths = paths;
    }

    Future<Void> write(Descriptor blob, ReadStream<Buffer> content) {
        Digest digest = blob.digest();
        Path temp = paths.tempBlob(digest);
        return fs.mkdirs(temp.getParent().toString())
                .compose(v -> fs.open(temp.toString(), CREATE_NEW))
                .compose(file -> new VerifyingPump(content, file, new DigestVerifier(digest, blob.size()))
                        .run()
                        .compose(v -> file.flush())
                        .compose(v -> file.close())
                        .compose(v -> commit(temp, paths.blob(digest)))
                        .recover(error -> discard(file, temp).transform(ignored -> Future.failedFuture(error))));
    }

    /** Renames the verified temp file into place, or drops it when another upload got there first. */
    private Future<Void> commit(Path temp, Path target) {
        return fs.exists(target.toString())
                .compose(exists -> exists
                        ? fs.delete(temp.toString())
                        : fs.move(temp.toString(), target.toString(), ATOMIC_REPLACE));
    }

    private Future<Void> discard(AsyncFile file, Path temp) {
        return closeQuietly(file).transform(ignored -> fs.delete(temp.toString()));
    }

    private static Future<Void> closeQuietly(AsyncFile file) {
        try {
            return file.close().otherwiseEmpty();
        } catch (IllegalStateException alreadyClosed) {
            return Future.succeededFuture();
        }
    }
}
