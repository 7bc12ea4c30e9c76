package dev.ferry.common.registry;

import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * Uploads a blob: POST opens a session, then either one PUT carrying the whole body
 * (small blobs) or PATCHes of {@code chunkSize} bytes followed by an empty PUT. The PUT
 * with {@code ?digest=} is the commit; if the source fails first, the open request is
 * reset (never ended, so a truncated body is never taken as complete) and the session is
 * deleted.
 */
final class BlobPusher {

  private static final String OCTET_STREAM = "application/octet-stream";

  private final HttpTransport transport;
  private final long monolithicMax;
  private final long chunkSize;

  BlobPusher(HttpTransport transport, long monolithicMax, long chunkSize) {
    this.transport = transport;
    this.monolithicMax = monolithicMax;
    this.chunkSize = chunkSize;
  }

  Future<Void> push(String repository, Descriptor blob, ReadStream<Buffer> content) {
    StreamSlicer slicer = new StreamSlicer(content);
    List<String> scopes = Scopes.of(Scopes.push(repository));
    String what = "upload blob " + repository + "@" + blob.digest();
    return transport.prepare(scopes)
        .compose(v -> startSession(repository, scopes, what))
        .compose(location -> upload(location, blob, slicer, scopes, what)
            .recover(e -> cancel(location, scopes).transform(x -> Future.<Void>failedFuture(e))));
  }

  private Future<String> startSession(String repository, List<String> scopes, String what) {
    HttpTransport.Request post = HttpTransport.Request.of(HttpMethod.POST, ApiPaths.uploads(repository),
        scopes, what + " (start session)").header(HttpHeaders.CONTENT_LENGTH, "0");
    return transport.send(post)
        .compose(resp -> transport.expect(resp, what, 202))
        .compose(resp -> HttpTransport.discard(resp).map(v -> location(resp, what)));
  }

  private Future<Void> upload(String location, Descriptor blob, StreamSlicer slicer, List<String> scopes,
      String what) {
    if (blob.size() <= monolithicMax) {
      String url = ApiPaths.withParam(location, "digest", blob.digest().toString());
      return sendPart(HttpMethod.PUT, url, blob.size(), null, slicer, scopes, what, 201)
          .compose(resp -> checkStored(resp, blob, what));
    }
    return patchFrom(location, 0, blob, slicer, scopes, what).compose(last -> {
      String url = ApiPaths.withParam(last, "digest", blob.digest().toString());
      return sendPart(HttpMethod.PUT, url, 0, null, slicer, scopes, what, 201)
          .compose(resp -> checkStored(resp, blob, what));
    });
  }

  private Future<String> patchFrom(String location, long offset, Descriptor blob, StreamSlicer slicer,
      List<String> scopes, String what) {
    if (offset >= blob.size()) {
      return Future.succeededFuture(location);
    }
    long length = Math.min(chunkSize, blob.size() - offset);
    String range = offset + "-" + (offset + length - 1);
    return sendPart(HttpMethod.PATCH, location, length, range, slicer, scopes, what, 202)
        .compose(resp -> patchFrom(location(resp, what), offset + length, blob, slicer, scopes, what));
  }

  /**
   * Sends one request whose body is the next {@code length} bytes of the source. An early
   * response (the registry refusing mid-body) ends the wait; a source failure resets.
   */
  private Future<HttpClientResponse> sendPart(HttpMethod method, String url, long length, String range,
      StreamSlicer slicer, List<String> scopes, String what, int expected) {
    HttpTransport.Request r = HttpTransport.Request.of(method, url, scopes, what)
        .header(HttpHeaders.CONTENT_TYPE, OCTET_STREAM)
        .header(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    if (range != null) {
      r.header("Content-Range", range);
    }
    return transport.open(r).compose(req -> {
      Promise<HttpClientResponse> done = Promise.promise();
      req.response().onComplete(ar -> {
        if (ar.succeeded()) {
          ar.result().pause();
          done.tryComplete(ar.result());
        } else {
          done.tryFail(RegistryException.network(what, ar.cause()));
        }
      });
      req.exceptionHandler(e -> done.tryFail(RegistryException.network(what, e)));
      if (length == 0) {
        req.end();
      } else {
        slicer.writeSlice(req, length).onComplete(ar -> {
          if (ar.succeeded() && ar.result() == length) {
            req.end();
          } else {
            Throwable cause = ar.succeeded()
                ? new DigestMismatchException(null, length, null, ar.result(),
                    what + ": source ended after " + ar.result() + " of " + length + " bytes")
                : ar.cause();
            // Fail first: the reset also fails the response, and the source's error is the real one.
            done.tryFail(cause);
            reset(req, cause);
          }
        });
      }
      return done.future().compose(resp -> transport.expect(resp, what, expected).recover(e -> {
        reset(req, e);
        return Future.failedFuture(e);
      }));
    });
  }

  private static void reset(HttpClientRequest req, Throwable cause) {
    req.reset(0, cause);
  }

  private Future<Void> checkStored(HttpClientResponse resp, Descriptor blob, String what) {
    return HttpTransport.discard(resp).compose(v -> {
      String stored = resp.getHeader("Docker-Content-Digest");
      if (stored != null && !stored.equals(blob.digest().toString())) {
        return Future.failedFuture(new RegistryException(what + ": registry stored " + stored,
            resp.statusCode(), List.of(), null, null));
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> cancel(String location, List<String> scopes) {
    return transport.send(HttpTransport.Request.of(HttpMethod.DELETE, location, scopes, "cancel upload"))
        .compose(HttpTransport::discard)
        .recover(e -> Future.succeededFuture());
  }

  private static String location(HttpClientResponse resp, String what) {
    String location = resp.getHeader(HttpHeaders.LOCATION);
    if (location == null || location.isEmpty()) {
      throw new RegistryException(what + ": registry sent no Location for the upload session",
          resp.statusCode(), List.of(), null, null);
    }
    return location;
  }
}
