package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CompletionBatch;
import dev.ferry.common.lease.LeaseProtocol.CompletionItem;
import dev.ferry.common.lease.LeaseProtocol.CompletionResult;
import dev.ferry.common.lease.LeaseProtocol.CompletionResults;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.LeaseResponse;
import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.lease.LeaseProtocol.RenewResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The worker's side of the lease protocol ({@link dev.ferry.common.lease.LeaseProtocol}) over
 * HTTP JSON. A 409 fails with {@link LeaseLostException}; any other error with a
 * {@link CoordinatorException} carrying the status and the API's message. The bearer token is
 * sent on every call and appears in no message or log.
 */
public final class LeaseClient implements LeaseChannel {

    /** Calls other than the long poll answer at once; this only catches a hung coordinator. */
    static final long CALL_TIMEOUT_MILLIS = 30_000;
    /** Added to a long poll's wait, so a slow but working coordinator is not cut off. */
    static final long POLL_MARGIN_MILLIS = 15_000;

    private final WebClient web;
    private final String baseUrl;
    private final String token;

    /**
     * @param baseUrl {@code http://host:port} or {@code https://host:port} of any coordinator
     * @param token the worker's bearer token, or null
     * @throws IllegalArgumentException when {@code baseUrl} is not such a URL
     */
    public LeaseClient(Vertx vertx, String baseUrl, String token) {
        this(vertx, baseUrl, token, CoordinatorTls.DEFAULTS);
    }

    /** As above, trusting and presenting certificates as {@code tls} says (for https coordinators). */
    public LeaseClient(Vertx vertx, String baseUrl, String token, CoordinatorTls tls) {
        this.baseUrl = parseBaseUrl(baseUrl);
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.web = WebClient.create(
                vertx,
                tls.applyTo(new WebClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout(10_000)
                        .setFollowRedirects(false)
                        .setUserAgent("ferry-worker")));
    }

    /** Checks and normalises a coordinator URL: scheme http or https, a host, no query. */
    public static String parseBaseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid coordinator URL \"" + url + "\": " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(
                    "invalid coordinator URL \"" + url + "\": expected http://HOST:PORT or https://HOST:PORT");
        }
        if (uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("invalid coordinator URL \"" + url
                    + "\": expected http://HOST:PORT or https://HOST:PORT, with no user, query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme.toLowerCase() + "://" + uri.getRawAuthority() + path;
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String describe() {
        return baseUrl;
    }

    /** A long poll for leases: empty when none came within {@code request.waitSeconds()} (204). */
    @Override
    public Future<Optional<LeaseResponse>> lease(String workerId, LeaseRequest request) {
        String what = "POST /v1/workers/" + workerId + "/leases";
        long timeout = request.waitSeconds() * 1000L + POLL_MARGIN_MILLIS;
        return post("/v1/workers/" + segment(workerId) + "/leases", request, timeout, what)
                .map(response -> response.statusCode() == 204
                        ? Optional.<LeaseResponse>empty()
                        : Optional.of(LeaseJson.decode(response.body(), LeaseResponse.class, what)));
    }

    @Override
    public Future<RenewResponse> renew(String leaseId, RenewRequest request) {
        String what = "renew of lease " + leaseId;
        return post("/v1/leases/" + segment(leaseId) + "/renew", request, CALL_TIMEOUT_MILLIS, what)
                .map(response -> LeaseJson.decode(response.body(), RenewResponse.class, what));
    }

    @Override
    public Future<CommitDecision> commitIntent(String leaseId, CommitIntent intent) {
        String what = "commit-intent of lease " + leaseId;
        return post("/v1/leases/" + segment(leaseId) + "/commit-intent", intent, CALL_TIMEOUT_MILLIS, what)
                .map(response -> LeaseJson.decode(response.body(), CommitDecision.class, what));
    }

    @Override
    public Future<Void> complete(String leaseId, Completion completion) {
        String what = "completion of lease " + leaseId;
        return post("/v1/leases/" + segment(leaseId) + "/complete", completion, CALL_TIMEOUT_MILLIS, what)
                .mapEmpty();
    }

    /** {@code POST /v1/leases/completions}: 200 with one result per item, in order. */
    @Override
    public Future<List<CompletionResult>> completeAll(List<CompletionItem> items) {
        String what = "batch of " + items.size() + " completions";
        return post("/v1/leases/completions", new CompletionBatch(items), CALL_TIMEOUT_MILLIS, what)
                .map(response -> {
                    List<CompletionResult> results = LeaseJson.decode(response.body(), CompletionResults.class, what)
                            .results();
                    if (results.size() != items.size()) {
                        throw new CoordinatorException(
                                200,
                                "bad_response",
                                what + ": " + results.size() + " results for " + items.size() + " items",
                                null);
                    }
                    return results;
                });
    }

    @Override
    public boolean batchesCompletions() {
        return true;
    }

    private Future<HttpResponse<Buffer>> post(String path, Object body, long timeoutMillis, String what) {
        HttpRequest<Buffer> request = web.requestAbs(HttpMethod.POST, baseUrl + path)
                .timeout(timeoutMillis)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json");
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.sendBuffer(LeaseJson.encode(body))
                .recover(e -> Future.failedFuture(CoordinatorException.unreachable(what + " at " + baseUrl, e)))
                .compose(response -> response.statusCode() / 100 == 2
                        ? Future.succeededFuture(response)
                        : Future.failedFuture(errorOf(response, what)));
    }

    private static CoordinatorException errorOf(HttpResponse<Buffer> response, String what) {
        LeaseJson.ApiError error = LeaseJson.error(response.body());
        int status = response.statusCode();
        String message = what + ": HTTP " + status + (error.message() != null ? ", " + error.message() : "");
        if (status == 409) {
            return new LeaseLostException(error.code() != null ? error.code() : "lease_lost", message);
        }
        return new CoordinatorException(status, error.code() != null ? error.code() : "http_" + status, message, null);
    }

    /** Percent-encodes one path segment (ids are opaque to the worker). */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        web.close();
    }

    @Override
    public String toString() {
        return "LeaseClient[" + baseUrl + (token != null ? ", bearer token (hidden)" : "") + "]";
    }
}
