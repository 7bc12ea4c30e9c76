package dev.ferry.cli;

import dev.ferry.coordinator.metrics.ScrapeReply;
import dev.ferry.worker.lease.WorkerLoop;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * A worker's small HTTP server: {@code GET /metrics} for Prometheus, the probes
 * {@code GET /health/live} and {@code GET /health/ready} (503 once draining), and
 * {@code GET /drain} for a Kubernetes {@code preStop} hook: it starts the drain and answers when
 * every leased job is settled, so the pod stops only after its work is finished or handed back.
 */
final class MetricsServer {

    private MetricsServer() {}

    static Future<HttpServer> start(
            Vertx vertx, PrometheusMeterRegistry registry, WorkerLoop loop, Duration grace, String host, int port) {
        return vertx.createHttpServer()
                .requestHandler(req -> {
                    switch (req.path()) {
                        case "/metrics" -> ScrapeReply.send(vertx, registry, req);
                        case "/health/live" -> json(req, 200, "{\"status\":\"live\"}");
                        case "/health/ready" -> {
                            if (loop.status().draining()) {
                                json(req, 503, "{\"status\":\"draining\"}");
                            } else {
                                json(req, 200, "{\"status\":\"ready\"}");
                            }
                        }
                        case "/drain" ->
                            loop.drain(grace)
                                    .onComplete(ar -> json(
                                            req, 200, "{\"status\":\"drained\",\"active\":" + loop.active() + "}"));
                        default -> req.response().setStatusCode(404).end();
                    }
                })
                .listen(port, host);
    }

    private static void json(HttpServerRequest req, int status, String body) {
        req.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }
}
