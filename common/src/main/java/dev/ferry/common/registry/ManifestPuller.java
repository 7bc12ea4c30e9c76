package dev.ferry.common.registry;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.MediaTypes;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;

/** GET and HEAD of manifests, with the Accept header listing every type Ferry copies. */
final class ManifestPuller {

    private final HttpTransport transport;

    ManifestPuller(HttpTransport transport) {
        this.transport = transport;
    }

    Future<Manifest> get(String repository, String reference) {
        String what = "GET manifest " + name(repository, reference);
        // A first HEAD (free) learns whether the registry counts pulls before one is spent. Its
        // failure is the GET's: a registry that throttles or refuses the HEAD would the GET too,
        // and the caller's retry sends both again.
        Future<Void> probed =
                transport.pullBudget().unknown() ? head(repository, reference).mapEmpty() : Future.succeededFuture();
        return probed.compose(v -> transport
                .send(request(HttpMethod.GET, repository, reference, what))
                .compose(resp -> transport.expect(resp, what, 200))
                .compose(resp -> transport
                        .readBody(resp, ManifestParser.MAX_MANIFEST_BYTES, what)
                        .recover(e -> Future.failedFuture(
                                e instanceof HttpTransport.BodyTooLargeException
                                        ? new InvalidManifestException(what + ": manifest is over the limit of "
                                                + ManifestParser.MAX_MANIFEST_BYTES + " bytes")
                                        : e))
                        .map(body -> parse(resp, body.getBytes(), reference, what))));
    }

    Future<Optional<Descriptor>> head(String repository, String reference) {
        String what = "HEAD manifest " + name(repository, reference);
        return transport
                .send(request(HttpMethod.HEAD, repository, reference, what))
                .compose(resp -> {
                    if (resp.statusCode() == 404) {
                        return transport.drain(resp, what).map(v -> Optional.<Descriptor>empty());
                    }
                    return transport
                            .expect(resp, what, 200)
                            .compose(ok -> transport.drain(ok, what).map(v -> {
                                String digest = ok.getHeader("Docker-Content-Digest");
                                if (digest == null) {
                                    throw new InvalidManifestException(
                                            what + ": registry sent no Docker-Content-Digest header");
                                }
                                String length = ok.getHeader(HttpHeaders.CONTENT_LENGTH);
                                return Optional.of(Descriptor.of(
                                        MediaTypes.normalize(ok.getHeader(HttpHeaders.CONTENT_TYPE)),
                                        Digest.parse(digest),
                                        length == null ? -1 : Long.parseLong(length.trim())));
                            }));
                });
    }

    /** {@code repo:tag} or {@code repo@sha256:...}, as a user writes a reference. */
    private static String name(String repository, String reference) {
        return repository + (reference.contains(":") ? "@" : ":") + reference;
    }

    private HttpTransport.Request request(HttpMethod method, String repository, String reference, String what) {
        return HttpTransport.Request.of(
                        method, ApiPaths.manifest(repository, reference), Scopes.of(Scopes.pull(repository)), what)
                .header(HttpHeaders.ACCEPT, MediaTypes.ACCEPT_HEADER);
    }

    private static Manifest parse(HttpClientResponse resp, byte[] bytes, String reference, String what) {
        Manifest m;
        try {
            m = ManifestParser.parse(bytes, resp.getHeader(HttpHeaders.CONTENT_TYPE));
        } catch (InvalidManifestException e) {
            throw new InvalidManifestException(what + ": " + e.getMessage(), e);
        }
        // By digest, the bytes must hash to it; by tag, they must match what the registry says.
        Digest expected = reference.contains(":") ? Digest.parse(reference) : headerDigest(resp);
        if (expected != null && expected.algorithm().equals("sha256") && !expected.equals(m.digest())) {
            // Corrupt or swapped bytes, not a bad manifest: a failed attempt that a retry may get right.
            throw new DigestMismatchException(
                    expected,
                    -1,
                    m.digest(),
                    bytes.length,
                    what + ": digest mismatch: expected " + expected + ", actual " + m.digest());
        }
        return m;
    }

    private static Digest headerDigest(HttpClientResponse resp) {
        String h = resp.getHeader("Docker-Content-Digest");
        return h == null ? null : Digest.parse(h);
    }
}
