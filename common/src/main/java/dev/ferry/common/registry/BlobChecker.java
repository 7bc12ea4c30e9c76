package dev.ferry.common.registry;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

/** HEAD of a blob: does the repository already have it? */
final class BlobChecker {

    private final HttpTransport transport;

    BlobChecker(HttpTransport transport) {
        this.transport = transport;
    }

    Future<Boolean> exists(String repository, Digest digest) {
        String what = "HEAD blob " + repository + "@" + digest;
        return transport
                .send(HttpTransport.Request.of(
                        HttpMethod.HEAD, ApiPaths.blob(repository, digest), Scopes.of(Scopes.pull(repository)), what))
                .compose(resp -> {
                    if (resp.statusCode() == 404) {
                        return transport.drain(resp, what).map(false);
                    }
                    return transport
                            .expect(resp, what, 200)
                            .compose(r -> transport.drain(r, what))
                            .map(true);
                });
    }
}
