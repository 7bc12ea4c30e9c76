package dev.ferry.common.registry;

import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

/** PUT of a manifest's exact bytes, by tag or by digest; DELETE of a manifest by digest. */
final class ManifestPusher {

    private final HttpTransport transport;

    ManifestPusher(HttpTransport transport) {
        this.transport = transport;
    }

    Future<Void> put(String repository, String reference, Manifest manifest) {
        String what = "PUT manifest " + repository + ":" + reference;
        HttpTransport.Request request = HttpTransport.Request.of(
                        HttpMethod.PUT,
                        ApiPaths.manifest(repository, reference),
                        Scopes.of(Scopes.push(repository)),
                        what)
                .header(HttpHeaders.CONTENT_TYPE, manifest.mediaType())
                .withBody(Buffer.buffer(manifest.raw()));
        return transport
                .send(request)
                .compose(resp -> transport.expect(resp, what, 201))
                .compose(resp -> transport.drain(resp, what).map(v -> {
                    String stored = resp.getHeader("Docker-Content-Digest");
                    if (stored != null && !stored.equals(manifest.digest().toString())) {
                        throw new InvalidManifestException(
                                what + ": registry stored digest " + stored + " but Ferry sent " + manifest.digest());
                    }
                    return null;
                }));
    }

    /**
     * Deletes a manifest by digest. The registry removes every tag that points at it. A
     * registry that does not allow deletes answers 405 (distribution: storage.delete.enabled).
     */
    Future<Void> delete(String repository, String digest) {
        String what = "DELETE manifest " + repository + "@" + digest;
        HttpTransport.Request request = HttpTransport.Request.of(
                HttpMethod.DELETE, ApiPaths.manifest(repository, digest), Scopes.of(Scopes.delete(repository)), what);
        return transport
                .send(request)
                .compose(resp -> transport.expect(resp, what, 202))
                .compose(r -> transport.drain(r, what));
    }
}
