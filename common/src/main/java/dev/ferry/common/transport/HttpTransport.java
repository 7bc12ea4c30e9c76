package dev.ferry.common.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends requests to one registry: adds authorization, answers a 401 challenge once,
 * follows redirects without leaking credentials to another host, and turns error
 * responses into {@link RegistryException}. Endpoint classes build on it.
 *
 * <p>Every request is bounded by {@link Timeouts}: connect, first byte (headers after the
 * request ended) and idle. A timeout fails with a temporary {@link RegistryException} that
 * names the operation and the limit.
 *
 * <p>Over 300 lines because every registry request passes through it (authentication, timeouts, redirects without credentials, pull budget, observers): one path, so no request can skip a step.
 */
public final class HttpTransport {

    /**
     * Sent with every registry request, so a registry's pull notifications can tell Ferry's own
     * checks and copies from consumers' pulls.
     */
    public static final String USER_AGENT = "ferry";

    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClientAgent http;
    private final RegistryEndpoint endpoint;
    private final Authenticator auth;
    private final Clock clock;
    private final Timeouts timeouts;
    private final BoundedReads reads;
    private volatile RequestObserver observer = RequestObserver.NONE;
    private final PullBudget pullBudget;

    /**
     * A request with an optional in-memory body. Requests with a streamed body use
     * {@link #open(Request)} instead, since they cannot be replayed after a 401.
     *
     * @param what names the operation and the resource in errors, e.g. "GET manifest a/b:v1"
     */
    public record Request(
            HttpMethod method, String uri, MultiMap headers, List<String> scopes, Buffer body, String what) {

        public static Request of(HttpMethod method, String uri, List<String> scopes, String what) {
            return new Request(method, uri, MultiMap.caseInsensitiveMultiMap(), scopes, null, what);
        }

        public Request header(CharSequence name, String value) {
            headers.set(name, value);
            return this;
        }

        public Request withBody(Buffer newBody) {
            return new Request(method, uri, headers, scopes, newBody, what);
        }

        Request withUri(String newUri) {
            return new Request(method, newUri, headers, scopes, body, what);
        }
    }

    public HttpTransport(
            HttpClientAgent http, RegistryEndpoint endpoint, Authenticator auth, Clock clock, Timeouts timeouts) {
        this.http = http;
        this.endpoint = endpoint;
        this.auth = auth;
        this.clock = clock;
        this.timeouts = timeouts;
        this.reads = new BoundedReads(timeouts);
        this.pullBudget = new PullBudget(endpoint.host(), clock);
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** Reports every request {@link #send} makes to {@code o} from now on. */
    public void observe(RequestObserver o) {
        this.observer = o;
    }

    /**
     * Sends a request and returns the response, whatever its status, once auth and
     * redirects are settled. The response is paused: read it with {@link #readBody} or
     * resume it as a stream.
     */
    public Future<HttpClientResponse> send(Request request) {
        long started = System.nanoTime();
        RequestObserver o = observer;
        String kind = RequestObserver.kind(request.uri());
        boolean pull = kind.equals("manifest") && request.method() == HttpMethod.GET;
        if (pull) {
            try {
                pullBudget.acquire();
            } catch (PullBudgetExhaustedException e) {
                return Future.failedFuture(e);
            }
        }
        return attempt(request, endpoint.resolve(request.uri()), AUTH_RETRIES, 0)
                .onComplete(ar -> {
                    o.observed(
                            request.method().name(),
                            kind,
                            ar.succeeded() ? ar.result().statusCode() : 0,
                            System.nanoTime() - started);
                    if (ar.failed()) {
                        if (pull) {
                            pullBudget.abandoned();
                        }
                    } else if (kind.equals("manifest")
                            && pullBudget.observe(
                                    pull,
                                    ar.result().statusCode(),
                                    ar.result().getHeader("ratelimit-limit"),
                                    ar.result().getHeader("ratelimit-remaining"))) {
                        o.pullBudget(
                                pullBudget.limit().orElse(-1),
                                pullBudget.remaining().orElse(-1));
                    }
                });
    }

    /**
     * The registry's announced pull budget (Docker Hub's rate limit), read from manifest
     * responses; a manifest GET {@link #send}s only when it has a pull left, else fails with
     * {@link PullBudgetExhaustedException}.
     */
    public PullBudget pullBudget() {
        return pullBudget;
    }

    /** A response and whether its request carried an Authorization header. */
    private record Sent(HttpClientResponse response, boolean authorized) {}

    /**
     * A 401 is answered by one more try. A second 401, to credentials sent after the first
     * (challenge) one, is tried once more only when the credentials can be renewed (a helper's).
     */
    private static final int AUTH_RETRIES = 2;

    private boolean mayRetryAuth(int authRetries, Sent sent) {
        return authRetries == AUTH_RETRIES || authRetries > 0 && sent.authorized() && auth.renewable();
    }

    private Future<HttpClientResponse> attempt(Request r, String url, int authRetries, int redirects) {
        boolean sameHost = sameOrigin(url);
        Future<String> authorization = sameHost ? auth.authorization(r.scopes()) : Future.succeededFuture(null);
        return authorization
                .compose(authz -> {
                    RequestOptions options = options(r.method(), url, r.headers(), authz)
                            .setIdleTimeout(timeouts.idle().toMillis());
                    return http.request(options)
                            .compose(
                                    req -> firstByte(req, r.body() == null ? req.send() : req.send(r.body()), r.what()))
                            .map(resp -> {
                                resp.pause();
                                return new Sent(resp, authz != null);
                            })
                            .recover(e -> Future.failedFuture(failure(r.what(), e)));
                })
                .compose(sent -> {
                    HttpClientResponse resp = sent.response();
                    if (resp.statusCode() == 401 && sameHost && mayRetryAuth(authRetries, sent)) {
                        auth.onChallenge(resp.getHeader("WWW-Authenticate"), r.scopes(), sent.authorized());
                        return drain(resp, r.what()).compose(v -> attempt(r, url, authRetries - 1, redirects));
                    }
                    if (isRedirect(resp.statusCode())
                            && (r.method() == HttpMethod.GET || r.method() == HttpMethod.HEAD)) {
                        String location = resp.getHeader(HttpHeaders.LOCATION);
                        if (location != null && redirects < MAX_REDIRECTS) {
                            String next = URI.create(url).resolve(location).toString();
                            return drain(resp, r.what()).compose(v -> attempt(r, next, authRetries, redirects + 1));
                        }
                    }
                    return Future.succeededFuture(resp);
                });
    }

    /**
     * Makes sure the registry's auth scheme is known and a token for the scopes is cached,
     * so a following streamed request ({@link #open}) is not answered with a 401 after its
     * body was spent.
     */
    public Future<Void> prepare(List<String> scopes) {
        if (auth.knowsScheme()) {
            return auth.authorization(scopes).mapEmpty();
        }
        return send(Request.of(HttpMethod.GET, "/v2/", scopes, "ping")).compose(resp -> {
            if (resp.statusCode() == 200) {
                auth.onNoChallenge();
            }
            return drain(resp, "ping");
        });
    }

    /**
     * Opens a request whose body the caller streams (writes, then ends or resets). Call
     * {@link #prepare} first so the authorization is already known. The caller bounds it with
     * {@link #watchdog} while writing and {@link #firstByte} once it has ended.
     */
    public Future<HttpClientRequest> open(Request r) {
        String url = endpoint.resolve(r.uri());
        return auth.authorization(r.scopes())
                .compose(authz -> http.request(options(r.method(), url, r.headers(), authz)))
                .recover(e -> Future.failedFuture(failure(r.what(), e)));
    }

    /**
     * The response to {@code req}, failed with a temporary timeout error (and the request
     * reset) unless its headers arrive within the first-byte timeout from now. Call it when
     * the request has been sent, or its streamed body ended.
     */
    public Future<HttpClientResponse> firstByte(
            HttpClientRequest req, Future<HttpClientResponse> response, String what) {
        return reads.firstByte(req, response, what + " at " + endpoint)
                .recover(e -> Future.failedFuture(failure(what, e)));
    }

    /**
     * Watches a request body the caller streams: unless {@link IdleWatchdog#touch()} is called
     * within the idle timeout, {@code onIdle} gets a temporary timeout error. Call from the
     * request's event loop.
     */
    public IdleWatchdog watchdog(String what, Handler<RegistryException> onIdle) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException(what + ": an idle watchdog needs a Vert.x context");
        }
        return new IdleWatchdog(
                context.owner(), timeouts.idle().toMillis(), v -> onIdle.handle(idleTimeout(what, null)));
    }

    /**
     * The error to report for a request that failed without a response: a timeout names the
     * limit, anything else is a network error. Both are temporary.
     */
    public RegistryException failure(String what, Throwable e) {
        if (e instanceof RegistryException re) {
            return re;
        }
        if (e instanceof TimeoutException) {
            return idleTimeout(what, e);
        }
        CertificateProblem certificate = CertificateProblem.in(e);
        if (certificate != null) {
            return RegistryException.certificate(what + " at " + endpoint, certificate);
        }
        SSLHandshakeException handshake = Connection.handshakeFailure(e);
        if (handshake != null) {
            return RegistryException.tlsHandshake(
                    what + " at " + endpoint, handshake, endpoint.connection().offersClientCertificate());
        }
        return RegistryException.network(what + " at " + endpoint, e);
    }

    private RegistryException idleTimeout(String what, Throwable cause) {
        return reads.idleTimeout(what + " at " + endpoint, cause);
    }

    private RequestOptions options(HttpMethod method, String url, MultiMap headers, String authz) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(url)
                .setConnectTimeout(timeouts.connect().toMillis())
                .setFollowRedirects(false);
        endpoint.connection().apply(options);
        options.setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
        if (!options.getHeaders().contains(HttpHeaders.USER_AGENT)) {
            options.putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
        }
        if (authz != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authz);
        }
        return options;
    }

    /** Fails unless the response has one of the expected statuses; the error carries the spec codes. */
    public Future<HttpClientResponse> expect(HttpClientResponse resp, String what, int... statuses) {
        for (int s : statuses) {
            if (resp.statusCode() == s) {
                return Future.succeededFuture(resp);
            }
        }
        return readBody(resp, MAX_ERROR_BODY, what)
                .recover(e -> Future.succeededFuture(Buffer.buffer()))
                .compose(body -> Future.failedFuture(error(resp, what, body.toString())));
    }

    public RegistryException error(HttpClientResponse resp, String what, String body) {
        return RegistryException.fromResponse(
                what + " at " + endpoint,
                resp.statusCode(),
                body,
                RetryAfter.parse(resp.getHeader("Retry-After"), clock));
    }

    /**
     * Reads a whole (small) body, refusing more than {@code limit} bytes so a hostile or
     * broken registry cannot make Ferry buffer without bound, and failing with a temporary
     * timeout error when the body stalls for the idle timeout. Call it on the response's context.
     *
     * @param what the operation and the resource, as in {@link Request#what()}
     */
    public Future<Buffer> readBody(HttpClientResponse resp, int limit, String what) {
        return reads.body(resp, limit, what + " at " + endpoint)
                .recover(e -> Future.failedFuture(
                        e instanceof BodyTooLargeException || e instanceof BodyAlreadyEndedException
                                ? e
                                : failure(what, e)));
    }

    /**
     * Reads and drops a (small) response body so the connection can be reused; bounded like
     * {@link #readBody}. A body too large or already over needs no draining; a stall is an error.
     */
    public Future<Void> drain(HttpClientResponse resp, String what) {
        return readBody(resp, MAX_ERROR_BODY, what)
                .<Void>mapEmpty()
                .recover(e -> e instanceof BodyTooLargeException || e instanceof BodyAlreadyEndedException
                        ? Future.succeededFuture()
                        : Future.failedFuture(e));
    }

    /** A response whose body had already ended (and was dropped) before it was read. */
    public static final class BodyAlreadyEndedException extends RuntimeException {
        BodyAlreadyEndedException(Throwable cause) {
            super("the response body had already ended before it was read", cause);
        }
    }

    /**
     * Reads a whole (small) body without a time limit. Prefer {@link #readBody(HttpClientResponse, int, String)}:
     * this one is for callers without a transport.
     */
    public static Future<Buffer> readBody(HttpClientResponse resp, int limit) {
        return BoundedReads.read(resp, limit, () -> {});
    }

    /** Reads and drops a response body without a time limit; prefer {@link #drain}. */
    public static Future<Void> discard(HttpClientResponse resp) {
        return readBody(resp, MAX_ERROR_BODY).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }

    /** A body larger than the caller allowed. */
    public static final class BodyTooLargeException extends RuntimeException {
        public BodyTooLargeException(int limit) {
            super("response body is larger than the limit of " + limit + " bytes");
        }
    }

    private boolean sameOrigin(String url) {
        URI target = URI.create(url);
        URI base = URI.create(endpoint.baseUrl());
        return Objects.equals(target.getScheme(), base.getScheme())
                && Objects.equals(target.getAuthority(), base.getAuthority());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
