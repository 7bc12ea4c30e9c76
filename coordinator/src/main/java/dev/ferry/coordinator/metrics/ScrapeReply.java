package dev.ferry.coordinator.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/** Answers {@code GET /metrics} on a process's own small server; the scrape runs off the event loop. */
public final class ScrapeReply {

    private ScrapeReply() {}

    public static void send(Vertx vertx, PrometheusMeterRegistry registry, HttpServerRequest req) {
        vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
            if (ar.succeeded()) {
                req.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(ar.result());
            } else {
                req.response().setStatusCode(500).end();
            }
        });
    }
}
