package dev.ferry.coordinator.health;

import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.transport.CertificateProblem;
import dev.ferry.common.transport.Connection;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.EgressProxy;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.coordinator.plan.RegistryConnections;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Probes a registry with {@code GET /v2/}, the API version check every distribution
 * registry answers. 200 and 401 (credentials wanted) mean up; anything else, a refused
 * connection or no answer within the timeout means the probe failed. The timeout bounds the
 * whole probe, headers and body: a registry that answers and then stalls is reset when it
 * runs out, and a body is read up to a small limit only. Never fails itself: the outcome is
 * in the {@link ProbeResult}.
 */
public final class Prober {

    private final Vertx vertx;
    private final HttpClientAgent http;
    private final Clock clock;
    private final Connections connections;

    public Prober(Vertx vertx, Clock clock, Duration timeout) {
        this.vertx = vertx;
        this.clock = clock;
        this.http = RegistryClient.newHttpClient(vertx, 2, timeout);
        this.connections = new Connections(EgressProxy.fromEnvironment(), clock);
    }

    /**
     * Probes a schedule registry with its own TLS settings and egress proxy. Their files are read
     * on a worker thread once, then kept.
     */
    public Future<ProbeResult> probe(RegistryConfig registry, Duration timeout) {
        long at = clock.millis();
        return vertx.executeBlocking(() -> RegistryConnections.open(connections, registry), false)
                .transform(ar -> ar.succeeded()
                        ? probe(registry.url(), ar.result(), timeout)
                        : Future.succeededFuture(new ProbeResult(at, 0, false, describe(ar.cause()))));
    }

    /** Probes with the default TLS settings (the JVM's trust store) and no proxy. */
    public Future<ProbeResult> probe(String registryUrl, Duration timeout) {
        return probe(registryUrl, Connection.DIRECT, timeout);
    }

    public Future<ProbeResult> probe(String registryUrl, Connection connection, Duration timeout) {
        long start = System.nanoTime();
        long at = clock.millis();
        Promise<ProbeResult> result = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeout.toMillis(), t -> {
            if (result.tryComplete(
                    new ProbeResult(at, elapsed(start), false, "timeout after " + timeout.toMillis() + " ms"))) {
                HttpClientRequest req = sent.get();
                if (req != null) {
                    req.reset();
                }
            }
        });
        RequestOptions options;
        try {
            options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(registryUrl.replaceAll("/+$", "") + "/v2/")
                    .setIdleTimeout(timeout.toMillis());
            connection.apply(options);
        } catch (RuntimeException e) {
            // Not an http(s) URL: a failed probe, never an exception that would stop the probe loop.
            vertx.cancelTimer(timer);
            result.tryComplete(
                    new ProbeResult(at, elapsed(start), false, "not an http(s) registry URL: " + describe(e)));
            return result.future();
        }
        http.request(options)
                .compose(req -> {
                    sent.set(req);
                    return req.send();
                })
                .compose(resp -> HttpTransport.discard(resp).map(v -> resp.statusCode()))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        int status = ar.result();
                        result.tryComplete(new ProbeResult(
                                at, elapsed(start), status == 200 || status == 401, String.valueOf(status)));
                    } else {
                        result.tryComplete(new ProbeResult(at, elapsed(start), false, describe(ar.cause())));
                    }
                });
        return result.future();
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String describe(Throwable e) {
        CertificateProblem certificate = CertificateProblem.in(e);
        if (certificate != null) {
            return "TLS certificate refused: the registry's certificate " + certificate.getMessage();
        }
        String name = e.getClass().getSimpleName();
        String message = e.getMessage();
        if (message == null) {
            return name;
        }
        // Connection errors name the address; that is useful and holds no secret.
        return message.length() > 160 ? message.substring(0, 160) : message;
    }

    public Future<Void> close() {
        return http.close();
    }
}
