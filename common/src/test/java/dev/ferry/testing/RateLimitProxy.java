package dev.ferry.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Docker Hub's pull rate limit in front of a real registry: every manifest GET costs one pull
 * from a budget of {@code limit} per window, manifest responses carry
 * {@code ratelimit-limit: L;w=W} and {@code ratelimit-remaining: R;w=W}, and a GET with no pull
 * left is answered 429 {@code TOOMANYREQUESTS} instead of being forwarded. A HEAD costs
 * nothing, as on the Hub. Everything else is forwarded as it is. The window never refills
 * unless {@link #refill} is called.
 */
public final class RateLimitProxy implements AutoCloseable {

    private static final Pattern MANIFEST = Pattern.compile("/v2/.+/manifests/[^/?]+");

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final HttpServer server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final int limit;
    private final long windowSeconds;
    private final AtomicInteger remaining;
    private final AtomicInteger pulls = new AtomicInteger();
    private final AtomicInteger tooMany = new AtomicInteger();
    private final AtomicInteger heads = new AtomicInteger();

    private RateLimitProxy(String upstreamHostPort, int limit, long windowSeconds) throws Exception {
        int colon = upstreamHostPort.lastIndexOf(':');
        this.upstreamHost = upstreamHostPort.substring(0, colon);
        this.upstreamPort = Integer.parseInt(upstreamHostPort.substring(colon + 1));
        this.limit = limit;
        this.windowSeconds = windowSeconds;
        this.remaining = new AtomicInteger(limit);
        this.client = vertx.createHttpClient();
        this.server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    /** A proxy before {@code upstreamHostPort} allowing {@code limit} manifest GETs per window. */
    public static RateLimitProxy start(String upstreamHostPort, int limit, long windowSeconds) {
        try {
            return new RateLimitProxy(upstreamHostPort, limit, windowSeconds);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the rate-limit proxy", e);
        }
    }

    public String hostPort() {
        return "127.0.0.1:" + server.actualPort();
    }

    public String url() {
        return "http://" + hostPort();
    }

    /** Manifest GETs forwarded (pulls spent). */
    public int pulls() {
        return pulls.get();
    }

    /** Manifest GETs refused with 429. */
    public int tooManyRequests() {
        return tooMany.get();
    }

    /** Manifest HEADs forwarded (free). */
    public int heads() {
        return heads.get();
    }

    /** Starts a new window with the whole budget. */
    public void refill() {
        remaining.set(limit);
    }

    private void handle(HttpServerRequest in) {
        in.pause();
        boolean manifest = MANIFEST.matcher(in.path()).matches();
        if (manifest && in.method() == HttpMethod.GET) {
            if (remaining.getAndUpdate(r -> Math.max(0, r - 1)) <= 0) {
                tooMany.incrementAndGet();
                in.response().setStatusCode(429);
                budgetHeaders(in.response().headers());
                in.response()
                        .putHeader("Content-Type", "application/json")
                        .end("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"pull rate limit reached\"}]}");
                return;
            }
            pulls.incrementAndGet();
        } else if (manifest && in.method() == HttpMethod.HEAD) {
            heads.incrementAndGet();
        }
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstreamHost)
                .setPort(upstreamPort)
                .setURI(in.uri());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(in.headers());
        headers.remove("Host");
        options.setHeaders(headers);
        client.request(options)
                .compose(out -> out.send(in))
                .onSuccess(resp -> relay(in, resp, manifest))
                .onFailure(e -> {
                    if (!in.response().ended()) {
                        in.response().setStatusCode(502).end();
                    }
                });
    }

    private void relay(HttpServerRequest in, HttpClientResponse resp, boolean manifest) {
        in.response().setStatusCode(resp.statusCode());
        in.response().headers().addAll(resp.headers());
        if (manifest) {
            budgetHeaders(in.response().headers());
        }
        if (in.method() == HttpMethod.HEAD) {
            resp.body().onComplete(ar -> {
                if (!in.response().ended() && !in.response().closed()) {
                    in.response().end();
                }
            });
            return;
        }
        // Test images are small: the body is relayed whole, so a client that goes away early
        // cannot leave a pipe writing to a closed response.
        in.response().headers().remove("Transfer-Encoding").remove("Content-Length");
        resp.body().onComplete(ar -> {
            if (in.response().ended() || in.response().closed()) {
                return;
            }
            if (ar.succeeded()) {
                in.response().end(ar.result());
            } else {
                in.response().reset();
            }
        });
    }

    private void budgetHeaders(MultiMap headers) {
        headers.set("ratelimit-limit", limit + ";w=" + windowSeconds);
        headers.set("ratelimit-remaining", remaining.get() + ";w=" + windowSeconds);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
