package dev.ferry.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming HTTP reverse proxy on a free loopback port in front of a registry, which damages
 * {@code GET /v2/<name>/blobs/<digest>} response bodies while keeping status and headers
 * (Content-Length, Docker-Content-Digest, ...) intact.
 *
 * <p>Bodies are streamed, never buffered. {@link Mode#FLIP_BYTE} inverts the byte in the middle of
 * the body (same length); {@link Mode#TRUNCATE} sends half the announced body and then closes the
 * connection (only effective for responses with a Content-Length, which registries send for
 * blobs). Mode and target digest can be changed while running, e.g. to let a retry succeed.
 * Connections that start with a TLS handshake are refused at once (see {@link TlsRejectingFront}),
 * so HTTPS-first clients such as skopeo fall back to HTTP without delay.
 */
public final class CorruptingProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CorruptingProxy.class);
    private static final Pattern BLOB_PATH = Pattern.compile("^/v2/(.+)/blobs/([a-z0-9]+:[a-zA-Z0-9=_-]+)$");
    /** Request headers java.net.http refuses to set, plus hop-by-hop headers. */
    private static final Set<String> SKIPPED_REQUEST_HEADERS = Set.of(
            "host",
            "connection",
            "content-length",
            "expect",
            "upgrade",
            "transfer-encoding",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection");

    private static final Set<String> SKIPPED_RESPONSE_HEADERS =
            Set.of("connection", "content-length", "transfer-encoding", "keep-alive", "date");

    /** What happens to matching blob bodies. */
    public enum Mode {
        /** Forward unchanged. */
        PASS_THROUGH,
        /** Invert one byte in the middle of the body. */
        FLIP_BYTE,
        /** Send half of the body, then drop the connection. */
        TRUNCATE
    }

    private final URI upstream;
    private final HttpClient client;
    private final ExecutorService executor;
    private final HttpServer server;
    private final TlsRejectingFront front;
    private final AtomicInteger damaged = new AtomicInteger();
    private volatile Mode mode;
    private volatile String targetDigest;

    private CorruptingProxy(URI upstream, Mode mode, String targetDigest) throws IOException {
        this.upstream = upstream;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.targetDigest = targetDigest;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.executor = DaemonThreads.cachedPool("corrupting-proxy");
        this.server = HttpServer.create(new InetSocketAddress(FreePort.loopback(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        this.front = new TlsRejectingFront(server.getAddress().getPort());
    }

    /** Flips a byte in every blob served. */
    public static CorruptingProxy start(String upstreamUrl) {
        return start(upstreamUrl, Mode.FLIP_BYTE, null);
    }

    /**
     * @param upstreamUrl  e.g. {@link RegistryProcess#url()}
     * @param targetDigest only damage this blob; {@code null} damages every blob
     */
    public static CorruptingProxy start(String upstreamUrl, Mode mode, String targetDigest) {
        String base = upstreamUrl.endsWith("/") ? upstreamUrl.substring(0, upstreamUrl.length() - 1) : upstreamUrl;
        try {
            CorruptingProxy proxy = new CorruptingProxy(URI.create(base), mode, targetDigest);
            LOG.info("corrupting proxy {} -> {} ({})", proxy.url(), base, mode);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start proxy", e);
        }
    }

    public String host() {
        return "127.0.0.1:" + port();
    }

    public String url() {
        return "http://" + host();
    }

    public int port() {
        return front.port();
    }

    public Mode mode() {
        return mode;
    }

    public void mode(Mode newMode) {
        this.mode = Objects.requireNonNull(newMode);
    }

    /** Only damage blob {@code digest}; {@code null} for all blobs. */
    public void targetDigest(String digest) {
        this.targetDigest = digest;
    }

    /** How many response bodies have been damaged so far. */
    public int damagedResponses() {
        return damaged.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpResponse<InputStream> response;
            try {
                response = client.send(upstreamRequest(exchange), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                LOG.warn(
                        "upstream request {} {} failed: {}",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI(),
                        e.toString());
                byte[] body = ("proxy: upstream failed: " + e).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(502, body.length);
                exchange.getResponseBody().write(body);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            try (InputStream body = response.body()) {
                relay(exchange, response, body);
            }
        }
    }

    private HttpRequest upstreamRequest(HttpExchange exchange) {
        URI requestUri = exchange.getRequestURI();
        String target = upstream
                + requestUri.getRawPath()
                + (requestUri.getRawQuery() == null ? "" : "?" + requestUri.getRawQuery());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target));
        for (Map.Entry<String, List<String>> header :
                exchange.getRequestHeaders().entrySet()) {
            if (!SKIPPED_REQUEST_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean chunked =
                "chunked".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Transfer-Encoding"));
        HttpRequest.BodyPublisher publisher;
        if (length != null && Long.parseLong(length) > 0) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody), Long.parseLong(length));
        } else if (chunked) {
            publisher = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        } else {
            publisher = HttpRequest.BodyPublishers.noBody();
        }
        return builder.method(exchange.getRequestMethod(), publisher).build();
    }

    private void relay(HttpExchange exchange, HttpResponse<InputStream> response, InputStream body) throws IOException {
        Headers out = exchange.getResponseHeaders();
        HttpHeaders in = response.headers();
        for (Map.Entry<String, List<String>> header : in.map().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (SKIPPED_RESPONSE_HEADERS.contains(name) || name.startsWith(":")) {
                continue;
            }
            for (String value : header.getValue()) {
                out.add(header.getKey(), "location".equals(name) ? rewriteLocation(value) : value);
            }
        }
        long length = in.firstValueAsLong("Content-Length").orElse(-1);
        int status = response.statusCode();
        if ("HEAD".equals(exchange.getRequestMethod())) {
            if (length >= 0) {
                out.set("Content-Length", Long.toString(length));
            }
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (status == 204 || status == 304 || length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, length > 0 ? length : 0);
        Mode current = mode;
        boolean damage = current != Mode.PASS_THROUGH && (status == 200 || status == 206) && isTargetBlob(exchange);
        OutputStream sink = exchange.getResponseBody();
        if (!damage) {
            body.transferTo(sink);
            return;
        }
        damaged.incrementAndGet();
        LOG.info("proxy: {} {} ({} bytes)", current, exchange.getRequestURI().getRawPath(), length);
        if (current == Mode.FLIP_BYTE) {
            copyFlipping(body, sink, length > 0 ? length / 2 : 0);
        } else {
            copyPrefix(body, sink, Math.max(0, length / 2));
            // Closing with bytes outstanding makes the JDK server drop the connection.
        }
    }

    private boolean isTargetBlob(HttpExchange exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return false;
        }
        Matcher m = BLOB_PATH.matcher(exchange.getRequestURI().getPath());
        String target = targetDigest;
        return m.matches() && (target == null || target.equals(m.group(2)));
    }

    private static void copyFlipping(InputStream in, OutputStream out, long flipAt) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long position = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (flipAt >= position && flipAt < position + n) {
                int i = (int) (flipAt - position);
                buffer[i] = (byte) ~buffer[i];
            }
            out.write(buffer, 0, n);
            position += n;
        }
    }

    private static void copyPrefix(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long remaining = limit;
        int n;
        while (remaining > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining))) > 0) {
            out.write(buffer, 0, n);
            remaining -= n;
        }
        out.flush();
    }

    private String rewriteLocation(String location) {
        return location.startsWith(upstream.toString())
                ? url() + location.substring(upstream.toString().length())
                : location;
    }

    @Override
    public void close() {
        front.close();
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "CorruptingProxy[" + url() + " -> " + upstream + ", " + mode + "]";
    }
}
