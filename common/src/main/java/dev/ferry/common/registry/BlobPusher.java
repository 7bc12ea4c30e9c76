package dev.ferry.common.registry;

import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.image.BlobUpload;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.IdleWatchdog;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads a blob: a small one in a single POST where the registry takes that
 * ({@link BlobPoster}); otherwise POST opens a session, then either one PUT carrying the whole body
 * (small blobs) or PATCHes of {@code chunkSize} bytes followed by an empty PUT. The PUT
 * with {@code ?digest=} is the commit; if the source fails first, the open request is
 * reset (never ended, so a truncated body is never taken as complete).
 *
 * <p>Chunked uploads can be resumed: with a {@link BlobUpload}, every accepted PATCH is
 * recorded there, a temporary failure leaves the session open, and a later push continues
 * it at the offset {@link #status} reported (GET on the session: {@code 204} with
 * {@code Range: 0-N}). Any other failure deletes the session.
 *
 * <p>Chunks are {@code chunkSize} bytes but the last, or more when the registry asks for a larger
 * minimum with {@code OCI-Chunk-Min-Length} on the POST (ECR wants 5 MiB). A session's
 * {@code Location} may be absolute or relative; each answer's Location is the next URL.
 *
 * <p>Over 300 lines because the blob upload protocol's variants (single POST, monolithic PUT, chunks with minimum sizes, resume, mount, fallback after a refused PATCH) share one upload session and its error handling.
 */
final class BlobPusher {

    private static final String OCTET_STREAM = "application/octet-stream";
    private static final Pattern RANGE = Pattern.compile("^(?:bytes=)?0-(-?\\d+)$");
    /** How long giving up on an upload waits for the registry to confirm the session is deleted. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final HttpTransport transport;
    private final long monolithicMax;
    private final long chunkSize;
    private final BlobPoster poster;
    /** Set once the registry refused a chunked PATCH: from then on every blob goes in one PUT. */
    private volatile boolean chunkedRefused;

    BlobPusher(HttpTransport transport, long monolithicMax, long chunkSize) {
        this.transport = transport;
        this.monolithicMax = monolithicMax;
        this.chunkSize = chunkSize;
        this.poster = new BlobPoster(transport);
    }

    /**
     * @param upload where to resume and record the session; {@code null} for a one-shot upload.
     *     A small blob with no session to resume goes in a single request where the registry
     *     takes that ({@link BlobPoster}).
     */
    Future<Void> push(String repository, Descriptor blob, ReadStream<Buffer> content, BlobUpload upload) {
        if ((upload == null || !upload.isOpen()) && blob.size() <= monolithicMax && poster.takes(blob)) {
            return poster.post(repository, blob, content); // an in-memory body: a 401 is simply answered again
        }
        BlobUpload session = upload != null ? upload : new BlobUpload();
        StreamSlicer slicer = new StreamSlicer(content);
        List<String> scopes = Scopes.of(Scopes.push(repository));
        String what = "upload blob " + repository + "@" + blob.digest();
        return transport
                .prepare(scopes)
                .compose(v -> session.isOpen()
                        ? Future.succeededFuture(chunkSize)
                        : startSession(repository, scopes, what).map(started -> {
                            session.at(started.location(), 0);
                            return Math.max(chunkSize, started.minChunk());
                        }))
                .compose(chunk -> upload(session, blob, slicer, scopes, what, chunk))
                .onSuccess(v -> session.clear())
                .recover(e -> {
                    boolean resumable = upload != null
                            && isTemporary(e)
                            && blob.size() > monolithicMax
                            && session.isOpen()
                            && !chunkedRefused;
                    if (resumable) {
                        return Future.failedFuture(e);
                    }
                    return cancel(repository, session).transform(x -> Future.<Void>failedFuture(e));
                });
    }

    /** GET on the session: how many bytes the registry holds; updates {@code upload}. */
    Future<Long> status(String repository, BlobUpload upload) {
        String what = "upload status " + repository;
        if (!upload.isOpen()) {
            return Future.failedFuture(new IllegalStateException(what + ": no session is open"));
        }
        List<String> scopes = Scopes.of(Scopes.push(repository));
        return transport
                .send(HttpTransport.Request.of(HttpMethod.GET, upload.location(), scopes, what))
                .compose(resp -> transport.expect(resp, what, 204))
                .compose(resp -> transport.drain(resp, what).map(v -> {
                    String range = resp.getHeader("Range");
                    Matcher m = range == null ? null : RANGE.matcher(range.trim());
                    if (m == null || !m.matches()) {
                        throw new RegistryException(
                                what + ": registry reported Range " + range + ", expected 0-N",
                                resp.statusCode(),
                                List.of(),
                                null,
                                null);
                    }
                    long end = Long.parseLong(m.group(1));
                    if (end == 0) {
                        // Distribution reports an empty upload as 0-0, the same as one holding 1 byte.
                        throw new RegistryException(
                                what + ": registry reported Range 0-0, which means 0 or 1 bytes",
                                resp.statusCode(),
                                List.of(),
                                null,
                                null);
                    }
                    long held = end + 1;
                    String location = resp.getHeader(HttpHeaders.LOCATION);
                    upload.at(location == null || location.isEmpty() ? upload.location() : location, held);
                    return held;
                }));
    }

    /**
     * Deletes the session (DELETE on its URL), so an abandoned upload does not linger in the
     * registry's storage, and clears {@code upload}. Best effort: it never fails, and it
     * completes after at most {@link #CANCEL_WAIT} even if the registry does not answer, so
     * the error that made the caller give up is reported without delay.
     */
    Future<Void> cancel(String repository, BlobUpload upload) {
        String location = upload.location();
        upload.clear();
        if (location == null) {
            return Future.succeededFuture();
        }
        Future<Void> deleted = transport
                .send(HttpTransport.Request.of(
                        HttpMethod.DELETE, location, Scopes.of(Scopes.push(repository)), "cancel upload " + repository))
                .compose(HttpTransport::discard)
                .recover(e -> Future.succeededFuture());
        Context context = Vertx.currentContext();
        if (context == null) {
            return deleted;
        }
        Promise<Void> waited = Promise.promise();
        long timer = context.owner().setTimer(CANCEL_WAIT.toMillis(), id -> waited.tryComplete());
        deleted.onComplete(ar -> {
            context.owner().cancelTimer(timer);
            waited.tryComplete();
        });
        return waited.future();
    }

    /**
     * A first PATCH answered 405 (method not allowed), 415, 416 (the range form) or 501: the
     * registry takes no chunked uploads. Its bytes are spent, so this push fails, but temporarily:
     * the caller's retry re-reads the source and this pusher then sends the blob in one PUT.
     */
    private static boolean refusesChunks(Throwable e) {
        return e instanceof RegistryException re
                && !re.isTemporary()
                && (re.status() == 405 || re.status() == 415 || re.status() == 416 || re.status() == 501);
    }

    private RegistryException chunkedRefused(String what, Throwable e) {
        chunkedRefused = true;
        int status = ((RegistryException) e).status();
        return RegistryException.retryAnotherWay(
                what,
                status,
                "the registry refused a chunked upload (HTTP " + status
                        + "); the next attempt sends the blob in one PUT");
    }

    private static boolean isTemporary(Throwable e) {
        return e instanceof RegistryException re && re.isTemporary();
    }

    /** An opened session and the smallest chunk its registry takes (0 when it names none). */
    private record Started(String location, long minChunk) {}

    private Future<Started> startSession(String repository, List<String> scopes, String what) {
        HttpTransport.Request post = HttpTransport.Request.of(
                        HttpMethod.POST, ApiPaths.uploads(repository), scopes, what + " (start session)")
                .header(HttpHeaders.CONTENT_LENGTH, "0");
        return transport
                .send(post)
                .compose(resp -> transport.expect(resp, what, 202))
                .compose(resp -> transport
                        .drain(resp, what)
                        .map(v -> new Started(location(resp, what), minChunk(resp.getHeader("OCI-Chunk-Min-Length")))));
    }

    /**
     * The registry's {@code OCI-Chunk-Min-Length} (distribution spec 1.1): every PATCH but the last
     * must carry at least that many bytes. A value Ferry cannot read is ignored (its own chunk
     * size stands), and one above 1 GiB is capped there so a hostile registry cannot make a chunk
     * unbounded.
     */
    static long minChunk(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(Long.parseLong(header.trim()), 1024L * 1024 * 1024));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Future<Void> upload(
            BlobUpload session, Descriptor blob, StreamSlicer slicer, List<String> scopes, String what, long chunk) {
        if ((blob.size() <= monolithicMax || chunkedRefused) && session.offset() == 0) {
            String url = ApiPaths.withParam(
                    session.location(), "digest", blob.digest().toString());
            return sendPart(HttpMethod.PUT, url, blob.size(), null, slicer, scopes, what, 201)
                    .compose(resp -> checkStored(transport, resp, blob, what));
        }
        return patchFrom(session, blob, slicer, scopes, what, chunk).compose(v -> {
            String url = ApiPaths.withParam(
                    session.location(), "digest", blob.digest().toString());
            return sendPart(HttpMethod.PUT, url, 0, null, slicer, scopes, what, 201)
                    .compose(resp -> checkStored(transport, resp, blob, what));
        });
    }

    private Future<Void> patchFrom(
            BlobUpload session, Descriptor blob, StreamSlicer slicer, List<String> scopes, String what, long chunk) {
        long offset = session.offset();
        if (offset >= blob.size()) {
            return Future.succeededFuture();
        }
        long length = Math.min(chunk, blob.size() - offset);
        String range = offset + "-" + (offset + length - 1);
        // ECR answers a PATCH with 201 instead of the spec's 202; both carry the next Location.
        return sendPart(HttpMethod.PATCH, session.location(), length, range, slicer, scopes, what, 202, 201)
                .recover(e -> Future.failedFuture(offset == 0 && refusesChunks(e) ? chunkedRefused(what, e) : e))
                .compose(resp -> transport.drain(resp, what).map(v -> {
                    session.at(location(resp, what), offset + length);
                    return null;
                }))
                .compose(v -> patchFrom(session, blob, slicer, scopes, what, chunk));
    }

    /**
     * Sends one request whose body is the next {@code length} bytes of the source. An early
     * response (the registry refusing mid-body) ends the wait; a source failure resets, and the
     * request fails with the source's error. Only what the registry holds up is timed against
     * it: while the body is written, a write queue that stays full (the registry takes no bytes)
     * for the idle timeout fails it; once the body has ended, the response headers must come
     * within the first-byte timeout. Waiting for the source is not the registry's fault: the
     * content stream bounds its own stalls (a registry's blob stream has its idle timeout).
     */
    private Future<HttpClientResponse> sendPart(
            HttpMethod method,
            String url,
            long length,
            String range,
            StreamSlicer slicer,
            List<String> scopes,
            String what,
            int... expected) {
        HttpTransport.Request r = HttpTransport.Request.of(method, url, scopes, what)
                .header(HttpHeaders.CONTENT_TYPE, OCTET_STREAM)
                .header(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        if (range != null) {
            r.header("Content-Range", range);
        }
        return transport.open(r).compose(req -> {
            Promise<HttpClientResponse> done = Promise.promise();
            IdleWatchdog watchdog = transport.watchdog(what, e -> {
                if (done.tryFail(e)) {
                    reset(req, e);
                }
            });
            watchdog.stop(); // armed only while the registry holds the body up (see DrainWatchingWriteStream)
            done.future().onComplete(ar -> watchdog.stop());
            req.response().onComplete(ar -> {
                if (ar.succeeded()) {
                    ar.result().pause();
                    done.tryComplete(ar.result());
                } else {
                    done.tryFail(transport.failure(what, ar.cause()));
                }
            });
            req.exceptionHandler(e -> done.tryFail(transport.failure(what, e)));
            if (length == 0) {
                endAndAwait(req, what, done, watchdog);
            } else {
                slicer.writeSlice(new DrainWatchingWriteStream(req, watchdog), length)
                        .onComplete(ar -> {
                            if (ar.succeeded() && ar.result() == length) {
                                endAndAwait(req, what, done, watchdog);
                            } else {
                                Throwable cause = ar.succeeded()
                                        ? new DigestMismatchException(
                                                null,
                                                length,
                                                null,
                                                ar.result(),
                                                what + ": source ended after " + ar.result() + " of " + length
                                                        + " bytes")
                                        : ar.cause();
                                // Fail first: the reset also fails the response, and the source's error is the real
                                // one.
                                done.tryFail(cause);
                                reset(req, cause);
                            }
                        });
            }
            return done.future()
                    .compose(resp -> transport.expect(resp, what, expected).recover(e -> {
                        reset(req, e);
                        return Future.failedFuture(e);
                    }));
        });
    }

    private void endAndAwait(
            HttpClientRequest req, String what, Promise<HttpClientResponse> done, IdleWatchdog watchdog) {
        watchdog.stop();
        req.end();
        transport.firstByte(req, req.response(), what).onFailure(done::tryFail);
    }

    private static void reset(HttpClientRequest req, Throwable cause) {
        req.reset(0, cause);
    }

    static Future<Void> checkStored(HttpTransport transport, HttpClientResponse resp, Descriptor blob, String what) {
        return transport.drain(resp, what).compose(v -> {
            String stored = resp.getHeader("Docker-Content-Digest");
            if (stored != null && !stored.equals(blob.digest().toString())) {
                return Future.failedFuture(new RegistryException(
                        what + ": registry stored " + stored, resp.statusCode(), List.of(), null, null));
            }
            return Future.succeededFuture();
        });
    }

    private static String location(HttpClientResponse resp, String what) {
        String location = resp.getHeader(HttpHeaders.LOCATION);
        if (location == null || location.isEmpty()) {
            throw noLocation(resp, what);
        }
        return location;
    }

    static RegistryException noLocation(HttpClientResponse resp, String what) {
        return new RegistryException(
                what + ": registry sent no Location for the upload session", resp.statusCode(), List.of(), null, null);
    }
}
