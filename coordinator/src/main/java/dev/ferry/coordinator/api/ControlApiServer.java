package dev.ferry.coordinator.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a control API router over HTTP, or HTTPS when the options carry TLS (built from the
 * schedule's {@code api.tls} by {@code ApiSecurity}).
 */
public final class ControlApiServer {

    private static final Logger LOG = LoggerFactory.getLogger(ControlApiServer.class);

    private ControlApiServer() {}

    /** Listens on {@code host:port} (port 0 picks a free one: read {@link HttpServer#actualPort()}). */
    public static Future<HttpServer> start(Vertx vertx, Router router, String host, int port) {
        return start(vertx, router, new HttpServerOptions().setHost(host).setPort(port));
    }

    public static Future<HttpServer> start(Vertx vertx, Router router, HttpServerOptions options) {
        return vertx.createHttpServer(options)
                .requestHandler(router)
                .invalidRequestHandler(new InvalidRequests(options))
                .listen()
                .onSuccess(server -> LOG.info(
                        "control API listening on {}://{}:{}",
                        options.isSsl() ? "https" : "http",
                        options.getHost(),
                        server.actualPort()));
    }
}
