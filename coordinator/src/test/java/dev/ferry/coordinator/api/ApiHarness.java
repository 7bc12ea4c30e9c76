package dev.ferry.coordinator.api;

import dev.ferry.coordinator.security.AdminOps;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real control API server on a free port in front of fake services, and a client for it. */
final class ApiHarness {

    record Reply(int status, MultiMap headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        JsonObject error() {
            return json().getJsonObject("error");
        }
    }

    final FakeStatus status;
    final FakeRuns runs;
    final FakeLeases leases;
    final FakeHistory history;
    final FakeLinks links;
    final FakeHealth health;
    final FakeEvents events;
    final int port;
    private final WebClient client;

    private ApiHarness(Vertx vertx, HttpServer server, ApiServices services) {
        this.status = (FakeStatus) services.status();
        this.runs = (FakeRuns) services.runs();
        this.leases = (FakeLeases) services.leases();
        this.history = (FakeHistory) services.history();
        this.links = (FakeLinks) services.links();
        this.health = (FakeHealth) services.health();
        this.events = (FakeEvents) services.events();
        this.port = server.actualPort();
        this.client = WebClient.create(
                vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    }

    static ApiHarness start(Vertx vertx) throws Exception {
        return start(vertx, List.of());
    }

    static ApiHarness start(Vertx vertx, List<Handler<RoutingContext>> authHooks) throws Exception {
        return start(vertx, authHooks, ControlApi.Ledger.none());
    }

    /** @param ledger the audit trail, log and ledger health the API is built with */
    static ApiHarness start(Vertx vertx, List<Handler<RoutingContext>> authHooks, ControlApi.Ledger ledger)
            throws Exception {
        ApiServices services = fakes();
        var router = new ControlApi(services, authHooks, AdminOps.unavailable(), "127.0.0.1", ledger).router(vertx);
        HttpServer server =
                ControlApiServer.start(vertx, router, "127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        return new ApiHarness(vertx, server, services);
    }

    /** In front of {@code services} (the fakes with one replaced, say), without auth or ledger. */
    static ApiHarness start(Vertx vertx, ApiServices services) throws Exception {
        var router = new ControlApi(services).router(vertx);
        HttpServer server =
                ControlApiServer.start(vertx, router, "127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        return new ApiHarness(vertx, server, services);
    }

    /** A fresh fake of every group; a test reaches the one it exercises through the harness's fields. */
    static ApiServices fakes() {
        return new ApiServices(
                new FakeStatus(),
                new FakeRuns(),
                new FakeLeases(),
                new FakeHistory(),
                new FakeLinks(),
                new FakeHealth(),
                new FakeEvents(),
                () -> "# HELP ferry_cluster_members Members\n"
                        + "# TYPE ferry_cluster_members gauge\nferry_cluster_members 2.0\n");
    }

    Reply get(String path) throws Exception {
        return await(send(HttpMethod.GET, path, null));
    }

    Reply post(String path, String body) throws Exception {
        return await(send(HttpMethod.POST, path, body));
    }

    Reply put(String path, String body) throws Exception {
        return await(send(HttpMethod.PUT, path, body));
    }

    Reply delete(String path) throws Exception {
        return await(send(HttpMethod.DELETE, path, null));
    }

    Reply post(String path, String body, Map<String, String> headers) throws Exception {
        return await(send(HttpMethod.POST, path, body, headers));
    }

    Future<Reply> send(HttpMethod method, String path, String body) {
        return send(method, path, body, Map.of());
    }

    Future<Reply> send(HttpMethod method, String path, String body, Map<String, String> headers) {
        var request = client.request(method, path);
        headers.forEach(request::putHeader);
        Future<HttpResponse<Buffer>> sent = body == null
                ? request.send()
                : request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body));
        return sent.map(r -> new Reply(r.statusCode(), r.headers(), r.bodyAsString()));
    }

    /** A GET with extra request headers (conditional requests). */
    Future<Reply> getWith(String path, Map<String, String> headers) {
        var request = client.request(HttpMethod.GET, path);
        headers.forEach(request::putHeader);
        return request.send().map(r -> new Reply(r.statusCode(), r.headers(), r.bodyAsString()));
    }

    static Reply await(Future<Reply> reply) throws Exception {
        return reply.await(10, TimeUnit.SECONDS);
    }
}
