package dev.ferry.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.coordinator.metrics.ScrapeReply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.jackson.VertxModule;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The route agent's small HTTP server: {@code GET /metrics} for Prometheus, {@code GET /health/live},
 * and {@code GET /health/ready}: 200 once every route's files hold an answer of this run, else 503;
 * both with each route's state (active mirror, files, last success, last error).
 */
public final class AgentServer {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new VertxModule());

    private AgentServer() {}

    public static Future<HttpServer> start(
            Vertx vertx,
            PrometheusMeterRegistry registry,
            Supplier<List<RouteStatus.Snapshot>> routes,
            String host,
            int port) {
        return vertx.createHttpServer()
                .requestHandler(req -> {
                    switch (req.path()) {
                        case "/metrics" -> ScrapeReply.send(vertx, registry, req);
                        case "/health/live" -> json(req, 200, Map.of("status", "live", "routes", routes.get()));
                        case "/health/ready" -> {
                            List<RouteStatus.Snapshot> all = routes.get();
                            boolean ready = all.stream().allMatch(RouteStatus.Snapshot::synced);
                            json(
                                    req,
                                    ready ? 200 : 503,
                                    Map.of("status", ready ? "ready" : "waiting for a first answer", "routes", all));
                        }
                        default -> req.response().setStatusCode(404).end();
                    }
                })
                .listen(port, host);
    }

    private static void json(HttpServerRequest req, int status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            req.response().setStatusCode(500).end();
            return;
        }
        req.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(text);
    }
}
