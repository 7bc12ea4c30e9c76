package dev.ferry.common.registry;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.MediaTypes;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * The referrers of a manifest: the OCI 1.1 referrers API, and where a registry lacks it
 * (404), the {@code sha256-<hex>} tag that older clients maintain instead.
 */
final class ReferrersLister {

    private final HttpTransport transport;
    private final ManifestPuller manifests;

    ReferrersLister(HttpTransport transport, ManifestPuller manifests) {
        this.transport = transport;
        this.manifests = manifests;
    }

    Future<List<Descriptor>> list(String repository, Digest subject) {
        String what = "list referrers of " + repository + "@" + subject;
        return transport
                .send(HttpTransport.Request.of(
                                HttpMethod.GET,
                                ApiPaths.referrers(repository, subject),
                                Scopes.of(Scopes.pull(repository)),
                                what)
                        .header(HttpHeaders.ACCEPT, MediaTypes.OCI_INDEX))
                .compose(resp -> {
                    if (resp.statusCode() == 404 || resp.statusCode() == 400 || resp.statusCode() == 405) {
                        return transport.drain(resp, what).compose(v -> fromTagSchema(repository, subject));
                    }
                    return transport
                            .expect(resp, what, 200)
                            .compose(ok -> transport.readBody(ok, ManifestParser.MAX_MANIFEST_BYTES, what))
                            .map(body -> manifestsOf(body.getBytes()));
                });
    }

    private Future<List<Descriptor>> fromTagSchema(String repository, Digest subject) {
        return manifests
                .get(repository, subject.asTag())
                .map(m -> m instanceof ImageIndex index ? index.manifests() : List.<Descriptor>of())
                .recover(e -> e instanceof RegistryException re && re.isNotFound()
                        ? Future.succeededFuture(List.of())
                        : Future.failedFuture(e));
    }

    private static List<Descriptor> manifestsOf(byte[] body) {
        return ManifestParser.parse(body, MediaTypes.OCI_INDEX) instanceof ImageIndex index
                ? index.manifests()
                : List.of();
    }
}
