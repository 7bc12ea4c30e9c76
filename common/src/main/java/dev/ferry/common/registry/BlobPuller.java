package dev.ferry.common.registry;

import dev.ferry.common.image.SkippingReadStream;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * GET of a blob as a paused stream, whole or from an offset ({@code Range}); redirects to
 * storage are followed without credentials. A registry that ignores the Range (200) is
 * read from the start and the bytes before the offset dropped. Errors while the body
 * streams (a cut connection, the idle timeout) surface as {@link RegistryException}s.
 */
final class BlobPuller {

    private final HttpTransport transport;

    BlobPuller(HttpTransport transport) {
        this.transport = transport;
    }

    Future<ReadStream<Buffer>> open(String repository, Descriptor blob, long offset) {
        String what = "GET blob " + repository + "@" + blob.digest() + (offset > 0 ? " from byte " + offset : "");
        HttpTransport.Request get = HttpTransport.Request.of(
                HttpMethod.GET, ApiPaths.blob(repository, blob.digest()), Scopes.of(Scopes.pull(repository)), what);
        if (offset > 0) {
            get.header("Range", "bytes=" + offset + "-");
        }
        return transport
                .send(get)
                .compose(resp -> transport.expect(resp, what, offset > 0 ? new int[] {200, 206} : new int[] {200}))
                .compose(resp -> skipFor(resp, offset, what)
                        .map(skip -> new SkippingReadStream(new WatchedResponse(resp, transport, what), skip, e -> e)));
    }

    /** How many leading bytes of the response to drop: 0 for a matching 206, the offset for a 200. */
    private static Future<Long> skipFor(HttpClientResponse resp, long offset, String what) {
        if (resp.statusCode() == 200) {
            return Future.succeededFuture(offset);
        }
        String range = resp.getHeader("Content-Range");
        if (range == null || !range.trim().startsWith("bytes " + offset + "-")) {
            resp.request().reset();
            return Future.failedFuture(new RegistryException(
                    what + ": registry answered 206 with Content-Range " + range + ", expected bytes " + offset + "-",
                    206,
                    List.of(),
                    null,
                    null));
        }
        return Future.succeededFuture(0L);
    }
}
