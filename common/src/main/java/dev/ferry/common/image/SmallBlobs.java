package dev.ferry.common.image;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.manifest.Descriptor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/** Reads a small blob (a payload, a config) whole into memory, checking its size and digest. */
public final class SmallBlobs {

    private SmallBlobs() {}

    /** Fails when the descriptor or the stream exceeds {@code maxBytes}, or the bytes do not match the digest. */
    public static Future<byte[]> read(ImageStore store, String repository, Descriptor blob, int maxBytes) {
        if (blob.size() > maxBytes) {
            return Future.failedFuture(new IllegalArgumentException("blob " + blob.digest() + " is " + blob.size()
                    + " bytes; at most " + maxBytes + " are read whole"));
        }
        return store.openBlob(repository, blob).compose(stream -> {
            Promise<byte[]> done = Promise.promise();
            Buffer collected = Buffer.buffer((int) Math.max(0, blob.size()));
            stream.exceptionHandler(done::tryFail);
            stream.handler(chunk -> {
                collected.appendBuffer(chunk);
                if (collected.length() > maxBytes) {
                    Streams.abandon(stream);
                    done.tryFail(new IllegalArgumentException(
                            "blob " + blob.digest() + " is longer than " + maxBytes + " bytes"));
                }
            });
            stream.endHandler(v -> {
                byte[] bytes = collected.getBytes();
                Digest actual = Digest.sha256(bytes);
                if (!actual.equals(blob.digest()) || bytes.length != blob.size()) {
                    done.tryFail(new DigestMismatchException(
                            blob.digest(),
                            blob.size(),
                            actual,
                            bytes.length,
                            "blob read from " + store.describe() + "/" + repository));
                } else {
                    done.tryComplete(bytes);
                }
            });
            stream.resume();
            return done.future();
        });
    }
}
