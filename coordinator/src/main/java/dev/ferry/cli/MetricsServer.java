package dev.ferry.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** A worker's small HTTP server: {@code GET /metrics} for Prometheus and {@code GET /health/live}. */
final class MetricsServer {

  private MetricsServer() {}

  static Future<HttpServer> start(Vertx vertx, PrometheusMeterRegistry registry, String host, int port) {
    return vertx.createHttpServer().requestHandler(req -> {
      switch (req.path()) {
        case "/metrics" -> vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
          if (ar.succeeded()) {
            req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
          } else {
            req.response().setStatusCode(500).end();
          }
        });
        case "/health/live" -> req.response().putHeader("Content-Type", "application/json")
            .end("{\"status\":\"live\"}");
        default -> req.response().setStatusCode(404).end();
      }
    }).listen(port, host);
  }
}
