package dev.ferry.common.image;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/** Helpers for the blob streams that {@link ImageStore#openBlob} hands out. */
public final class Streams {

    private Streams() {}

    /**
     * Stops reading a blob that will not be used: an HTTP response is reset (so the rest is
     * not downloaded), a file is closed.
     */
    public static void abandon(ReadStream<Buffer> stream) {
        if (stream instanceof Abandonable a) {
            a.abandon();
        } else if (stream instanceof HttpClientResponse resp) {
            resp.handler(null);
            resp.request().reset();
        } else if (stream instanceof AsyncFile file) {
            file.close();
        } else if (stream != null) {
            stream.handler(null);
            stream.resume();
        }
    }
}
