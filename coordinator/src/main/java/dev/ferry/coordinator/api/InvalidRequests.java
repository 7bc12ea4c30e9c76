package dev.ferry.coordinator.api;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder refused before any route saw them (a request line or
 * headers over the server's limits, a malformed request) with the API's JSON error, as every
 * other answer has, then closes the connection: what follows on it cannot be trusted.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

    private final int maxLineBytes;
    private final int maxHeaderBytes;

    InvalidRequests(HttpServerOptions options) {
        this.maxLineBytes = options.getMaxInitialLineLength();
        this.maxHeaderBytes = options.getMaxHeaderSize();
    }

    @Override
    public void handle(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String code;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            code = "uri_too_long";
            message = "the request line is longer than " + maxLineBytes + " bytes";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            code = "headers_too_large";
            message = "the request headers are larger than " + maxHeaderBytes + " bytes";
        } else {
            status = 400;
            code = "bad_request";
            message = "the request is not valid HTTP";
        }
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, ApiJson.CONTENT_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(ErrorReplies.body(code, message))
                .onComplete(ignored -> request.connection().close());
    }
}
