package dev.ferry.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming HTTP/1.1 reverse proxy on a free loopback port in front of a real registry, which
 * injects network and server faults on demand and records every request it receives.
 *
 * <p>Why raw sockets: a test of resumable uploads needs "exactly N body bytes reached the
 * registry, then the connection died", and a timeout test needs a server that accepts and then
 * never answers. An HTTP library in between would buffer, retry or answer on its own. The proxy
 * pairs each client connection with one upstream connection and relays heads and bodies verbatim
 * through a 64 KiB buffer, so it never holds a whole body.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(registry.host())) {
 *     proxy.on("GET", "/v2/.+/blobs/.+").times(2).respond(429, 3);           // 2 x 429, Retry-After: 3
 *     proxy.on("PATCH", "/v2/.+/blobs/uploads/.+").skip(1).times(1)
 *          .cutRequestBodyAfter(300_000);                                      // 2nd PATCH dies mid-body
 *     proxy.on("GET", "/v2/.+/blobs/.+").times(1).cutResponseBodyAfter(1000);
 *     proxy.on("GET", "/v2/.+/blobs/.+").times(1).stallResponseBodyAfter(1000); // then silence
 *     proxy.on("PUT", "/v2/.+/blobs/uploads/.+").stallRequestBodyAfter(1000);  // stops reading the body
 *     proxy.on("*", ".*").stall();                                             // never answer, until clear()
 *     proxy.on("GET", "/v2/a/tags/list").answer(200, Map.of("Link", "</v2/a/tags/list?last=x>; rel=\"next\""),
 *          "{\"tags\":[\"x\"]}");                                              // a hostile answer of its own
 *     proxy.down(); proxy.up();                                                // registry unreachable, back
 *     proxy.clear();                                                           // remove all faults
 *     List<ProxiedRequest> patches = proxy.requests("PATCH", "/v2/.+/blobs/uploads/.+");
 * }
 * }</pre>
 *
 * <p>Faults are checked in the order they were added; the first that matches a request (method,
 * and a regex over the whole path without query) and is not used up is applied. Requests are
 * recorded in arrival order with the time their head arrived, the status the client got and
 * when, so a test can check e.g. that no request followed a 429 sooner than its Retry-After.
 * While {@link #down()}, every connection is accepted and closed at once (no request is
 * recorded) and open connections are dropped. Connections opening with a TLS handshake are
 * closed at once, so HTTPS-first clients such as skopeo fall back to HTTP quickly.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final int TLS_HANDSHAKE = 0x16;
    private static final int BUFFER = 64 * 1024;

    private final String upstreamHost;
    private final int upstreamPort;
    private final Clock clock;
    private final ServerSocket server;
    private final ExecutorService pool = DaemonThreads.cachedPool("fault-proxy");
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<ProxyFault> faults = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean down;

    private FaultProxy(String upstreamHostPort, Clock clock) throws IOException {
        int colon = upstreamHostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("upstream must be host:port, got " + upstreamHostPort);
        }
        this.upstreamHost = upstreamHostPort.substring(0, colon);
        this.upstreamPort = Integer.parseInt(upstreamHostPort.substring(colon + 1));
        this.clock = clock;
        this.server = new ServerSocket(0, 100, FreePort.loopback());
        pool.execute(this::acceptLoop);
    }

    /** Starts a proxy in front of {@code upstreamHostPort}, e.g. {@link RegistryProcess#host()}. */
    public static FaultProxy start(String upstreamHostPort) {
        return start(upstreamHostPort, Clock.systemUTC());
    }

    /** As {@link #start(String)}, stamping recorded requests with {@code clock}. */
    public static FaultProxy start(String upstreamHostPort, Clock clock) {
        try {
            FaultProxy proxy = new FaultProxy(upstreamHostPort, clock);
            LOG.info("fault proxy {} -> {}", proxy.url(), upstreamHostPort);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fault proxy", e);
        }
    }

    /** {@code 127.0.0.1:PORT}, for image references. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** {@code http://127.0.0.1:PORT}, without trailing slash. */
    public String url() {
        return "http://" + hostPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Starts describing a fault for requests with {@code method} ({@code "*"} or null: any) whose
     * path, query excluded, fully matches {@code pathRegex}. Nothing happens until one of the
     * builder's terminal methods ({@code respond}, {@code cutRequestBodyAfter},
     * {@code cutResponseBodyAfter}, {@code stall}) installs it.
     */
    public ProxyFault.Builder on(String method, String pathRegex) {
        return new ProxyFault.Builder(method, pathRegex, faults::add);
    }

    /** Removes every fault (requests already stalled stay stalled until their client gives up). */
    public void clear() {
        faults.forEach(ProxyFault::cancel);
        faults.clear();
    }

    /** From now on, closes every connection at once, and drops the open ones: a registry that is down. */
    public void down() {
        down = true;
        closeAll();
        LOG.info("fault proxy {} is down", url());
    }

    /** Undoes {@link #down()}. */
    public void up() {
        down = false;
        LOG.info("fault proxy {} is up", url());
    }

    /** Connections closed unanswered because the proxy was {@link #down()}. */
    public int refusedConnections() {
        return refused.get();
    }

    /** Every request received so far, in arrival order. */
    public List<ProxiedRequest> requests() {
        return exchanges.stream().map(Exchange::snapshot).toList();
    }

    /** Requests with {@code method} ({@code "*"} or null: any) whose path fully matches {@code pathRegex}. */
    public List<ProxiedRequest> requests(String method, String pathRegex) {
        Pattern pattern = pathRegex == null ? null : Pattern.compile(pathRegex);
        return requests().stream().filter(r -> r.matches(method, pattern)).toList();
    }

    /** Forgets the requests recorded so far. */
    public void clearRequests() {
        exchanges.clear();
    }

    /**
     * Waits until at least {@code atLeast} matching requests have been received.
     *
     * @throws AssertionError listing all requests if they do not arrive within {@code timeout}
     */
    public List<ProxiedRequest> awaitRequests(String method, String pathRegex, int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ProxiedRequest> found = requests(method, pathRegex);
            if (found.size() >= atLeast) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected at least " + atLeast + " " + method + " " + pathRegex
                        + " requests through " + url() + " but found " + found.size() + "; all requests:\n"
                        + String.join(
                                "\n",
                                requests().stream()
                                        .map(ProxiedRequest::toString)
                                        .toList()));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    refused.incrementAndGet();
                    client.close();
                    continue;
                }
                sockets.add(client);
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        Connection connection = new Connection(client);
        try (connection) {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream(), BUFFER);
            in.mark(1);
            int first = in.read();
            if (first < 0 || first == TLS_HANDSHAKE) {
                return;
            }
            in.reset();
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), BUFFER);
            HttpHead request;
            while (!down && (request = HttpHead.read(in)) != null) {
                if (!exchange(connection, request, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("fault proxy connection ended: {}", e.toString());
        }
    }

    /** Handles one request; returns whether the client connection may carry another. */
    private boolean exchange(Connection connection, HttpHead request, InputStream in, OutputStream out)
            throws IOException {
        String target = request.target();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        ProxyFault fault = faults.stream()
                .filter(f -> f.claim(request.method(), path))
                .findFirst()
                .orElse(null);
        Exchange exchange = new Exchange(request, clock.instant(), fault == null ? null : fault.kind());
        exchanges.add(exchange);
        if (fault != null) {
            LOG.info("fault proxy: {} {} -> {}", request.method(), target, fault);
        }
        HttpHead.Framing framing = request.requestFraming();
        long length = request.contentLength();
        if (fault != null && fault.kind() == ProxyFault.Kind.ANSWER) {
            HttpBody.discard(in, framing, length);
            writeAnswer(out, fault, exchange, "HEAD".equalsIgnoreCase(request.method()));
            return !request.wantsClose();
        }
        if (fault != null && fault.kind() == ProxyFault.Kind.RESPOND) {
            HttpBody.discard(in, framing, length);
            writeError(out, fault, exchange, "HEAD".equalsIgnoreCase(request.method()));
            return !request.wantsClose();
        }
        if (fault != null && fault.kind() == ProxyFault.Kind.STALL) {
            HttpBody.discard(in, framing, length);
            in.transferTo(OutputStream.nullOutputStream());
            return false;
        }
        boolean stallBody = fault != null && fault.kind() == ProxyFault.Kind.STALL_REQUEST_BODY;
        long requestLimit = fault != null && (fault.kind() == ProxyFault.Kind.CUT_REQUEST_BODY || stallBody)
                ? fault.bytes()
                : Long.MAX_VALUE;
        Socket upstream = connection.upstream();
        OutputStream toUpstream = upstream.getOutputStream();
        request.writeTo(toUpstream);
        if (!HttpBody.relay(in, toUpstream, framing, length, requestLimit)) {
            toUpstream.flush();
            if (stallBody) {
                holdUntilClosed(connection.client);
            }
            upstream.shutdownOutput();
            return false;
        }
        toUpstream.flush();
        boolean reusable = relayResponse(connection, request, out, exchange, fault);
        if (fault != null && fault.kind() == ProxyFault.Kind.STALL_RESPONSE_BODY) {
            in.transferTo(OutputStream.nullOutputStream());
            return false;
        }
        return reusable;
    }

    private boolean relayResponse(
            Connection connection, HttpHead request, OutputStream out, Exchange exchange, ProxyFault fault)
            throws IOException {
        InputStream fromUpstream = connection.upstreamIn();
        HttpHead response = HttpHead.read(fromUpstream);
        while (response != null && response.status() / 100 == 1) {
            response.writeTo(out);
            out.flush();
            response = HttpHead.read(fromUpstream);
        }
        if (response == null) {
            throw new IOException("registry closed the connection without answering " + request);
        }
        if (fault != null && fault.kind() == ProxyFault.Kind.REWRITE_RESPONSE_HEADERS) {
            for (var change : fault.rewrites().entrySet()) {
                if (change.getKey().equals(ProxyFault.STATUS)) {
                    response = response.withStatus(
                            Integer.parseInt(change.getValue().apply(String.valueOf(response.status()))));
                    continue;
                }
                String value = change.getValue().apply(response.header(change.getKey()));
                response = value == null ? response.without(change.getKey()) : response.with(change.getKey(), value);
            }
        }
        response.writeTo(out);
        out.flush();
        exchange.answered(response.status(), clock.instant());
        boolean limited = fault != null
                && (fault.kind() == ProxyFault.Kind.CUT_RESPONSE_BODY
                        || fault.kind() == ProxyFault.Kind.STALL_RESPONSE_BODY);
        long limit = limited ? fault.bytes() : Long.MAX_VALUE;
        HttpHead.Framing framing = response.responseFraming(request.method());
        boolean complete = HttpBody.relay(fromUpstream, out, framing, response.contentLength(), limit);
        if (!complete || framing == HttpHead.Framing.UNTIL_CLOSE || response.wantsClose() || request.wantsClose()) {
            return false;
        }
        return true;
    }

    /** Reads nothing more and sends nothing, until the proxy closes or drops the connection. */
    private void holdUntilClosed(Socket client) {
        while (!client.isClosed() && !server.isClosed() && !down) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeError(OutputStream out, ProxyFault fault, Exchange exchange, boolean head) throws IOException {
        String code = switch (fault.status()) {
            case 429 -> "TOOMANYREQUESTS";
            case 503 -> "UNAVAILABLE";
            default -> "UNKNOWN";
        };
        byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"injected by FaultProxy\"}]}\n")
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder lines = new StringBuilder("HTTP/1.1 ")
                .append(fault.status())
                .append(" Injected\r\n")
                .append("Content-Type: application/json; charset=utf-8\r\n")
                .append("Docker-Distribution-Api-Version: registry/2.0\r\n")
                .append("Content-Length: ")
                .append(body.length)
                .append("\r\n");
        if (fault.retryAfterSeconds() != null) {
            lines.append("Retry-After: ").append(fault.retryAfterSeconds()).append("\r\n");
        }
        out.write(lines.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(body); // a response to HEAD has no body, only its length
        }
        out.flush();
        exchange.answered(fault.status(), clock.instant());
    }

    private void writeAnswer(OutputStream out, ProxyFault fault, Exchange exchange, boolean head) throws IOException {
        byte[] body = fault.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder lines = new StringBuilder("HTTP/1.1 ")
                .append(fault.status())
                .append(" Answered\r\n")
                .append("Content-Type: application/json; charset=utf-8\r\n")
                .append("Docker-Distribution-Api-Version: registry/2.0\r\n")
                .append("Content-Length: ")
                .append(body.length)
                .append("\r\n");
        fault.headers()
                .forEach((name, value) ->
                        lines.append(name).append(": ").append(value).append("\r\n"));
        out.write(lines.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(body);
        }
        out.flush();
        exchange.answered(fault.status(), clock.instant());
    }

    private void closeAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
        closeAll();
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + url() + " -> " + upstreamHost + ":" + upstreamPort + "]";
    }

    /** A client connection and the upstream connection paired with it, opened on first use. */
    private final class Connection implements AutoCloseable {

        private final Socket client;
        private Socket upstream;
        private InputStream upstreamIn;

        Connection(Socket client) {
            this.client = client;
        }

        Socket upstream() throws IOException {
            if (upstream == null || upstream.isClosed()) {
                upstream = new Socket(upstreamHost, upstreamPort);
                upstream.setTcpNoDelay(true);
                sockets.add(upstream);
                upstreamIn = new BufferedInputStream(upstream.getInputStream(), BUFFER);
            }
            return upstream;
        }

        InputStream upstreamIn() {
            return upstreamIn;
        }

        @Override
        public void close() {
            closeQuietly(client);
            sockets.remove(client);
            if (upstream != null) {
                closeQuietly(upstream);
                sockets.remove(upstream);
            }
        }
    }

    /** The mutable record of one request while it is in flight. */
    private static final class Exchange {

        private final String method;
        private final String target;
        private final Instant arrived;
        private final ProxyFault.Kind fault;
        private final Map<String, String> headers = new HashMap<>();
        private volatile int status;
        private volatile Instant answered;

        Exchange(HttpHead request, Instant arrived, ProxyFault.Kind fault) {
            this.method = request.method();
            this.target = request.target();
            this.arrived = arrived;
            this.fault = fault;
            for (String[] header : request.headers()) {
                String name = header[0].toLowerCase(Locale.ROOT);
                // Only the scheme of Authorization ("Basic", "Bearer"): tests may check one was sent,
                // and the credentials never reach a test log.
                String value = "authorization".equals(name) ? header[1].trim().split("\\s+", 2)[0] : header[1];
                headers.putIfAbsent(name, value);
            }
        }

        void answered(int status, Instant when) {
            this.answered = when;
            this.status = status;
        }

        ProxiedRequest snapshot() {
            return new ProxiedRequest(method, target, arrived, status, answered, fault, Map.copyOf(headers));
        }
    }
}
