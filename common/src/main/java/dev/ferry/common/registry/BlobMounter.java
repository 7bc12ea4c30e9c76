package dev.ferry.common.registry;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * Cross-repository mount. 201 means the blob is now linked; 202 means the registry opened
 * an ordinary upload session instead (it lacks the blob there, or refuses mounts), which
 * is closed again so the caller can upload.
 */
final class BlobMounter {

    private final HttpTransport transport;

    BlobMounter(HttpTransport transport) {
        this.transport = transport;
    }

    Future<Boolean> mount(String repository, Digest digest, String fromRepository) {
        List<String> scopes = Scopes.of(Scopes.push(repository), Scopes.pull(fromRepository));
        String what = "mount blob " + digest + " from " + fromRepository + " into " + repository;
        String uri = ApiPaths.withParam(
                ApiPaths.withParam(ApiPaths.uploads(repository), "mount", digest.toString()), "from", fromRepository);
        return transport
                .send(HttpTransport.Request.of(HttpMethod.POST, uri, scopes, what)
                        .header(HttpHeaders.CONTENT_LENGTH, "0"))
                .compose(resp -> {
                    if (resp.statusCode() == 201) {
                        return transport.drain(resp, what).map(true);
                    }
                    String session = resp.statusCode() == 202 ? resp.getHeader(HttpHeaders.LOCATION) : null;
                    Future<Void> drained = transport.drain(resp, what);
                    if (session == null) {
                        return drained.map(false);
                    }
                    return drained.compose(v -> transport.send(
                                    HttpTransport.Request.of(HttpMethod.DELETE, session, scopes, "cancel upload")))
                            .compose(r -> transport.drain(r, what))
                            .recover(e -> Future.succeededFuture())
                            .map(false);
                });
    }
}
