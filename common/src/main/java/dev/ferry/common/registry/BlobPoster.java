package dev.ferry.common.registry;

import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single-request upload of a small blob (OCI distribution spec, "monolithic POST"): one
 * {@code POST /v2/<name>/blobs/uploads/?digest=<digest>} carrying the whole blob, answered
 * {@code 201} once it is stored. That saves the POST-then-PUT pair a round trip.
 *
 * <p>Registries may not support it: distribution 2.8 answers {@code 202}, ignores the body
 * and opens an ordinary session. The blob then goes into that session with one PUT (so the
 * pair costs no more than without this), and the registry is remembered as one that does not
 * support it: later blobs take the POST-then-PUT path at once. A registry that refuses the
 * request (400, 405, 415) is remembered the same way, and the blob goes the two-request way. To send a blob twice, it is read
 * into memory first (verified on the way, like any stream), which is why only blobs up to
 * {@link #MAX_BYTES} go this way.
 */
final class BlobPoster {

    /** Blobs up to this size (configs, small layers) may be sent in one request. */
    static final long MAX_BYTES = 1024 * 1024;

    private static final String OCTET_STREAM = "application/octet-stream";

    private static final int UNKNOWN = 0;
    private static final int PROBING = 1;
    private static final int SUPPORTED = 2;
    private static final int UNSUPPORTED = 3;

    private final HttpTransport transport;
    /**
     * What the registry does with a single-request upload. Until it is known, one upload at a
     * time tries it (the others take the two-request path), so a registry that ignores the body
     * is sent at most one blob for nothing.
     */
    private final AtomicInteger support = new AtomicInteger(UNKNOWN);

    BlobPoster(HttpTransport transport) {
        this.transport = transport;
    }

    /**
     * Whether {@code blob} goes in one request: small enough, and the registry takes it or this
     * upload is the one that finds out. A true answer must be followed by {@link #post}.
     */
    boolean takes(Descriptor blob) {
        if (blob.size() > MAX_BYTES) {
            return false;
        }
        int now = support.get();
        return now == SUPPORTED || now == UNKNOWN && support.compareAndSet(UNKNOWN, PROBING);
    }

    Future<Void> post(String repository, Descriptor blob, ReadStream<Buffer> content) {
        List<String> scopes = Scopes.of(Scopes.push(repository));
        String what = "upload blob " + repository + "@" + blob.digest();
        String url = ApiPaths.withParam(
                ApiPaths.uploads(repository), "digest", blob.digest().toString());
        return read(content, blob, what)
                .compose(body -> transport
                        .send(request(HttpMethod.POST, url, scopes, what, body))
                        .compose(resp -> {
                            int status = resp.statusCode();
                            if (status == 201) {
                                support.compareAndSet(PROBING, SUPPORTED);
                                return BlobPusher.checkStored(transport, resp, blob, what);
                            }
                            String session = status == 202 ? resp.getHeader(HttpHeaders.LOCATION) : null;
                            if (status == 202 && session != null && !session.isEmpty()) {
                                support.set(UNSUPPORTED);
                                return transport
                                        .drain(resp, what)
                                        .compose(v -> putInto(session, blob, body, scopes, what));
                            }
                            if (status == 400 || status == 405 || status == 415 || status == 202) {
                                // Refused outright (or no session to continue): the two-request path, with the body in
                                // hand.
                                support.set(UNSUPPORTED);
                                return transport
                                        .drain(resp, what)
                                        .compose(v -> openSession(repository, scopes, what))
                                        .compose(location -> putInto(location, blob, body, scopes, what));
                            }
                            return transport.expect(resp, what, 201).mapEmpty();
                        }))
                .onFailure(e -> support.compareAndSet(PROBING, UNKNOWN));
    }

    private Future<String> openSession(String repository, List<String> scopes, String what) {
        HttpTransport.Request post = HttpTransport.Request.of(
                        HttpMethod.POST, ApiPaths.uploads(repository), scopes, what + " (start session)")
                .header(HttpHeaders.CONTENT_LENGTH, "0");
        return transport
                .send(post)
                .compose(resp -> transport.expect(resp, what, 202))
                .compose(resp -> transport.drain(resp, what).map(v -> {
                    String location = resp.getHeader(HttpHeaders.LOCATION);
                    if (location == null || location.isEmpty()) {
                        throw BlobPusher.noLocation(resp, what);
                    }
                    return location;
                }));
    }

    /** The blob into the session the registry opened instead: one PUT, or the session is deleted. */
    private Future<Void> putInto(String session, Descriptor blob, Buffer body, List<String> scopes, String what) {
        String url = ApiPaths.withParam(session, "digest", blob.digest().toString());
        return transport
                .send(request(HttpMethod.PUT, url, scopes, what, body))
                .compose(resp -> transport.expect(resp, what, 201))
                .compose(resp -> BlobPusher.checkStored(transport, resp, blob, what))
                .recover(e -> transport
                        .send(HttpTransport.Request.of(
                                HttpMethod.DELETE, session, scopes, "cancel upload " + blob.digest()))
                        .compose(HttpTransport::discard)
                        .transform(x -> Future.failedFuture(e)));
    }

    private static HttpTransport.Request request(
            HttpMethod method, String url, List<String> scopes, String what, Buffer body) {
        return HttpTransport.Request.of(method, url, scopes, what)
                .header(HttpHeaders.CONTENT_TYPE, OCTET_STREAM)
                .header(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                .withBody(body);
    }

    /** Reads the (verified) stream into memory, refusing more bytes than the blob has. */
    private static Future<Buffer> read(ReadStream<Buffer> content, Descriptor blob, String what) {
        Promise<Buffer> done = Promise.promise();
        Buffer body = Buffer.buffer((int) blob.size());
        content.exceptionHandler(done::tryFail);
        content.handler(chunk -> {
            if (body.length() + chunk.length() > blob.size()) {
                done.tryFail(new DigestMismatchException(
                        blob.digest(),
                        blob.size(),
                        null,
                        body.length() + chunk.length(),
                        what + ": the source sent more than the " + blob.size() + " bytes the descriptor names"));
                content.handler(null);
                return;
            }
            body.appendBuffer(chunk);
        });
        content.endHandler(v -> done.tryComplete(body));
        content.resume();
        return done.future();
    }
}
