package dev.ferry.loadtests.scenario;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A Vert.x reverse proxy on loopback in front of one registry that can, for a while, answer
 * every request {@code 429 Too Many Requests} with {@code Retry-After: 1} ({@link Mode#THROTTLE}),
 * or flip one byte in the middle of every blob body it relays ({@link Mode#CORRUPT}; status,
 * length and headers stay as the registry sent them). Everything else streams through. Never
 * blocks its event loop; a blob is buffered only to corrupt it, and only up to
 * {@link #MAX_CORRUPTED_BYTES} (a larger one passes intact).
 */
final class ChaosProxy implements AutoCloseable {

    /** What the proxy does to the requests it relays now. */
    public enum Mode {
        PASS,
        THROTTLE,
        CORRUPT
    }

    static final int MAX_CORRUPTED_BYTES = 16 * 1024 * 1024;
    private static final Pattern BLOB_PATH = Pattern.compile("^/v2/.+/blobs/[a-z0-9]+:[a-f0-9]+$");
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "transfer-encoding",
            "te",
            "trailer",
            "upgrade",
            "host",
            "content-length");

    private final HttpServer server;
    private final HttpClientAgent client;
    private final String upstreamHost;
    private final int upstreamPort;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong corrupted = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    /** A window waiting for its first request: the mode, and how long it lasts once it opens. */
    private volatile Mode armed;

    private volatile long armedMillis;
    /** When the open window closes (System.nanoTime), meaningful while {@code mode} is not PASS. */
    private volatile long closesAt;
    /** Whether the mode now is a window that closes by itself (else it stays until changed). */
    private volatile boolean timed;

    private ChaosProxy(Vertx vertx, String upstreamHost, int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000))
                .with(new PoolOptions().setHttp1MaxSize(32))
                .build();
        this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    /** Starts a proxy on a free loopback port in front of {@code upstream} ({@code HOST:PORT}). */
    static ChaosProxy start(Vertx vertx, String upstream) throws Exception {
        int colon = upstream.lastIndexOf(':');
        ChaosProxy proxy =
                new ChaosProxy(vertx, upstream.substring(0, colon), Integer.parseInt(upstream.substring(colon + 1)));
        proxy.server
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return proxy;
    }

    String host() {
        return "127.0.0.1:" + server.actualPort();
    }

    synchronized void mode(Mode mode) {
        this.armed = null;
        this.timed = false;
        this.mode = mode;
    }

    /**
     * Opens a window of {@code mode} for {@code millis} at the next request, that request
     * included: Ferry reads the source in bursts, and a window between two would test nothing.
     */
    synchronized void arm(Mode mode, long millis) {
        this.armedMillis = millis;
        this.armed = mode;
    }

    /** Whether an armed window is still waiting for a request or open. */
    boolean windowPending() {
        return armed != null || mode != Mode.PASS;
    }

    /** Closes an open window whose time is up, even when no request came to notice it. */
    synchronized void closeIfExpired() {
        if (armed == null && timed && System.nanoTime() - closesAt > 0) {
            mode = Mode.PASS;
            timed = false;
        }
    }

    /** The mode for a request arriving now: opens an armed window, closes an expired one. */
    private synchronized Mode current() {
        long now = System.nanoTime();
        if (armed != null) {
            mode = armed;
            armed = null;
            closesAt = now + TimeUnit.MILLISECONDS.toNanos(armedMillis);
            timed = true;
        } else {
            closeIfExpired();
        }
        return mode;
    }

    Mode mode() {
        return mode;
    }

    /** Requests received so far. */
    long requests() {
        return requests.get();
    }

    /** Requests answered 429 so far. */
    long throttled() {
        return throttled.get();
    }

    /** Blob bodies damaged so far. */
    long corrupted() {
        return corrupted.get();
    }

    private void handle(HttpServerRequest in) {
        requests.incrementAndGet();
        Mode now = current();
        if (now == Mode.THROTTLE) {
            throttled.incrementAndGet();
            in.response()
                    .setStatusCode(429)
                    .putHeader("Retry-After", "1")
                    .putHeader("Content-Type", "application/json")
                    .end("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"chaos: rate limited\"}]}");
            return;
        }
        in.pause();
        boolean corruptThis = now == Mode.CORRUPT
                && in.method() == HttpMethod.GET
                && BLOB_PATH.matcher(in.path()).matches();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstreamHost)
                .setPort(upstreamPort)
                .setURI(in.uri())
                .setIdleTimeout(60_000);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copyHeaders(in.headers(), headers);
        options.setHeaders(headers);
        client.request(options)
                .compose(out -> send(in, out))
                .onSuccess(response -> relay(in, response, corruptThis && response.statusCode() == 200))
                .onFailure(e -> {
                    if (!in.response().headWritten()) {
                        in.response().setStatusCode(502).end("chaos proxy: upstream failed: " + e.getMessage());
                    } else {
                        in.response().reset();
                    }
                });
    }

    private static Future<HttpClientResponse> send(HttpServerRequest in, HttpClientRequest out) {
        String length = in.getHeader("Content-Length");
        boolean chunked = "chunked".equalsIgnoreCase(in.getHeader("Transfer-Encoding"));
        if (length != null && Long.parseLong(length) > 0) {
            out.putHeader("Content-Length", length);
            return out.send(in);
        }
        if (chunked) {
            out.setChunked(true);
            return out.send(in);
        }
        in.resume();
        return out.send();
    }

    private void relay(HttpServerRequest request, HttpClientResponse in, boolean corrupt) {
        HttpServerResponse out = request.response();
        out.setStatusCode(in.statusCode());
        copyHeaders(in.headers(), out.headers());
        String length = in.getHeader("Content-Length");
        long size = length == null ? -1 : Long.parseLong(length);
        if (request.method() == HttpMethod.HEAD || in.statusCode() == 204 || in.statusCode() == 304) {
            if (length != null) {
                out.putHeader("Content-Length", length);
            }
            in.body().onComplete(ignored -> out.end());
            return;
        }
        if (corrupt && size > 0 && size <= MAX_CORRUPTED_BYTES) {
            out.putHeader("Content-Length", length);
            in.body().onSuccess(body -> out.end(flipMiddle(body))).onFailure(e -> out.reset());
            return;
        }
        if (size >= 0) {
            out.putHeader("Content-Length", length);
        } else {
            out.setChunked(true);
        }
        in.pipeTo(out);
    }

    private Buffer flipMiddle(Buffer body) {
        corrupted.incrementAndGet();
        Buffer copy = body.copy();
        int at = copy.length() / 2;
        copy.setByte(at, (byte) ~copy.getByte(at));
        return copy;
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                to.add(name, value);
            }
        });
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.close();
    }
}
