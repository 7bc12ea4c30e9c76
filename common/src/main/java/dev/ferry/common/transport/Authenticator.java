package dev.ferry.common.transport;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "which Authorization header goes on this request?" for one registry. It learns
 * the scheme from the registry's 401 challenge; for Bearer it fetches a token per scope
 * set from the realm and caches it until shortly before it expires. Concurrent requests
 * for the same scopes share one token fetch.
 *
 * <p>The credentials come from a {@link CredentialSource}. When the registry or its token
 * server refuses credentials that were sent, the source is told, so short-lived credentials
 * from a helper are fetched again; a refused token request is tried once more with them.
 *
 * <p>Over 300 lines because the registry authentication protocol in one place: challenges, basic, bearer tokens with scopes and their cache, identity-token refresh and re-fetching refused credentials all share the one token cache.
 */
public final class Authenticator {

    /** A token answer is a small JSON object; more than this is refused. */
    static final int MAX_TOKEN_BYTES = 256 * 1024;
    /** The token spec's default when the server omits {@code expires_in}. */
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private final HttpClientAgent http;
    private final Connection connection;
    private final CredentialSource source;
    private final String registry;
    private final Clock clock;
    private final BoundedReads reads;
    private volatile AuthChallenge challenge;
    private final Map<String, Future<Token>> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant refreshAt) {}

    /**
     * @param timeouts bound each token request as they bound registry requests: connect, first
     *     byte and idle
     */
    public Authenticator(
            HttpClientAgent http, String registry, Credentials credentials, Clock clock, Timeouts timeouts) {
        this(http, registry, Connection.DIRECT, CredentialSource.fixed(credentials), clock, timeouts);
    }

    /**
     * @param connection the registry's TLS and proxy settings, used for its token realm too
     * @param source the registry's credentials, which may change while the authenticator lives
     *     (a credential helper's)
     */
    public Authenticator(
            HttpClientAgent http,
            String registry,
            Connection connection,
            CredentialSource source,
            Clock clock,
            Timeouts timeouts) {
        this.http = http;
        this.connection = connection;
        this.registry = registry;
        this.source = source;
        this.clock = clock;
        this.reads = new BoundedReads(timeouts);
    }

    /** True when refused credentials can be replaced by others (a helper's), so a retry may help. */
    public boolean renewable() {
        return source.renewable();
    }

    /** True once a challenge was seen or the registry was found to need none. */
    public boolean knowsScheme() {
        return challenge != null;
    }

    /** Records the registry's challenge from a 401; drops cached tokens for these scopes. */
    public void onChallenge(String wwwAuthenticate, List<String> scopes) {
        onChallenge(wwwAuthenticate, scopes, false);
    }

    /**
     * As {@link #onChallenge(String, List)}; {@code sentAuthorization} says the refused request
     * carried credentials or a token, so the source may have to fetch fresh ones.
     */
    public void onChallenge(String wwwAuthenticate, List<String> scopes, boolean sentAuthorization) {
        if (sentAuthorization) {
            source.refused();
        }
        if (wwwAuthenticate == null) {
            throw new RegistryException(
                    registry + " answered 401 without a WWW-Authenticate challenge", 401, List.of(), null, null);
        }
        challenge = AuthChallenge.parse(wwwAuthenticate);
        tokens.remove(key(scopes));
    }

    /** Marks the registry as open (its ping answered 200 without credentials). */
    public void onNoChallenge() {
        if (challenge == null) {
            challenge = new AuthChallenge("none", Map.of());
        }
    }

    /** The header value for a request needing these scopes, or null to send none. */
    public Future<String> authorization(List<String> scopes) {
        AuthChallenge c = challenge;
        if (c == null || c.scheme().equals("none")) {
            return Future.succeededFuture(null);
        }
        return source.current().compose(credentials -> authorization(c, credentials, scopes));
    }

    private Future<String> authorization(AuthChallenge c, Credentials credentials, List<String> scopes) {
        if (credentials.hasToken()) {
            if (!c.isBearer()) {
                return Future.failedFuture(
                        unauthorized("asks for " + c.scheme() + " auth, but only a bearer token was given"));
            }
            return Future.succeededFuture("Bearer " + credentials.token());
        }
        if (c.isBasic()) {
            if (credentials.hasIdentityToken()) {
                return Future.failedFuture(unauthorized("asks for basic auth, but only an identity token was given"));
            }
            if (credentials.isAnonymous()) {
                return Future.failedFuture(unauthorized("needs a username and password (basic auth)"));
            }
            return Future.succeededFuture(credentials.basicHeader());
        }
        if (!c.isBearer()) {
            return Future.failedFuture(unauthorized("asks for unsupported auth scheme \"" + c.scheme() + "\""));
        }
        String key = key(scopes);
        Future<Token> cached = tokens.get(key);
        if (cached != null
                && (!cached.isComplete()
                        || (cached.succeeded()
                                && clock.instant().isBefore(cached.result().refreshAt())))) {
            return cached.map(t -> "Bearer " + t.value());
        }
        Future<Token> fetch = fetchToken(c, credentials, scopes, source.renewable());
        tokens.put(key, fetch);
        fetch.onFailure(e -> tokens.remove(key, fetch));
        return fetch.map(t -> "Bearer " + t.value());
    }

    /** @param mayRenew ask the source again once if the token server refuses these credentials */
    private Future<Token> fetchToken(AuthChallenge c, Credentials credentials, List<String> scopes, boolean mayRenew) {
        String realm = c.param("realm");
        if (realm == null || realm.isEmpty()) {
            return Future.failedFuture(unauthorized("sent a Bearer challenge without a realm"));
        }
        Future<Token> fetched = credentials.hasIdentityToken()
                ? refreshGrant(c, realm, credentials, scopes)
                : tokenGet(c, realm, credentials, scopes);
        if (!mayRenew || credentials.isAnonymous()) {
            return fetched;
        }
        return fetched.recover(e -> {
            // OAuth2 servers answer a stale refresh token with 400 invalid_grant.
            if (e instanceof RegistryException re
                    && (re.status() == 401
                            || re.status() == 403
                            || re.status() == 400 && credentials.hasIdentityToken())) {
                source.refused();
                return source.current().compose(fresh -> fetchToken(c, fresh, scopes, false));
            }
            return Future.failedFuture(e);
        });
    }

    /** The distribution token spec's GET, with the credentials as basic auth. */
    private Future<Token> tokenGet(AuthChallenge c, String realm, Credentials credentials, List<String> scopes) {
        StringBuilder url = new StringBuilder(realm);
        char sep = realm.contains("?") ? '&' : '?';
        if (c.param("service") != null) {
            url.append(sep).append("service=").append(enc(c.param("service")));
            sep = '&';
        }
        for (String scope : scopes) {
            url.append(sep).append("scope=").append(enc(scope));
            sep = '&';
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url.toString())
                .setConnectTimeout(reads.timeouts().connect().toMillis())
                .setIdleTimeout(reads.timeouts().idle().toMillis());
        if (!credentials.isAnonymous()) {
            options.putHeader(HttpHeaders.AUTHORIZATION, credentials.basicHeader());
        }
        return exchange(options, null, realm, credentials);
    }

    /**
     * The OAuth2 form POST that trades an identity (refresh) token for an access token, as
     * {@code docker login} does with registries that hand out identity tokens.
     */
    private Future<Token> refreshGrant(AuthChallenge c, String realm, Credentials credentials, List<String> scopes) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=ferry");
        if (c.param("service") != null) {
            form.append("&service=").append(enc(c.param("service")));
        }
        if (!scopes.isEmpty()) {
            form.append("&scope=").append(enc(String.join(" ", scopes)));
        }
        form.append("&refresh_token=").append(enc(credentials.identityToken()));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(realm)
                .setConnectTimeout(reads.timeouts().connect().toMillis())
                .setIdleTimeout(reads.timeouts().idle().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded");
        return exchange(options, Buffer.buffer(form.toString()), realm, credentials);
    }

    private Future<Token> exchange(RequestOptions options, Buffer body, String realm, Credentials credentials) {
        connection.apply(options); // the realm gets the registry's TLS and proxy, for both grants
        Instant asked = clock.instant();
        String what = "token request to " + hostOf(realm) + " for " + registry;
        return http.request(options)
                .compose(req -> reads.firstByte(req, body == null ? req.send() : req.send(body), what))
                .compose(resp -> reads.body(resp, MAX_TOKEN_BYTES, what)
                        .recover(e -> Future.failedFuture(
                                e instanceof HttpTransport.BodyTooLargeException
                                        ? unauthorized(
                                                "token server answered with more than " + MAX_TOKEN_BYTES + " bytes")
                                        : e))
                        .compose(answer -> parseToken(resp, answer.toString(), asked, credentials)))
                .recover(e -> Future.failedFuture(
                        e instanceof RegistryException re
                                ? re
                                : CertificateProblem.in(e) != null
                                        ? RegistryException.certificate(what, CertificateProblem.in(e))
                                        : Connection.handshakeFailure(e) != null
                                                ? RegistryException.tlsHandshake(
                                                        what,
                                                        Connection.handshakeFailure(e),
                                                        connection.offersClientCertificate())
                                                : RegistryException.network(what + " failed", e)));
    }

    private Future<Token> parseToken(HttpClientResponse resp, String body, Instant asked, Credentials credentials) {
        if (resp.statusCode() != 200) {
            String why = resp.statusCode() == 401 || resp.statusCode() == 403
                    ? (credentials.isAnonymous()
                            ? "denied anonymous access"
                            : "rejected the credentials for " + credentials)
                    : "token server answered HTTP " + resp.statusCode();
            return Future.failedFuture(new RegistryException(
                    registry + ": " + why,
                    resp.statusCode(),
                    List.of(new RegistryException.Error(ErrorCode.UNAUTHORIZED, why)),
                    null,
                    null));
        }
        try {
            JsonObject json = new JsonObject(body);
            String token = json.getString("token", json.getString("access_token"));
            if (token == null || token.isEmpty()) {
                return Future.failedFuture(unauthorized("token server answered without a token"));
            }
            long seconds = json.getLong("expires_in", DEFAULT_TOKEN_LIFETIME.toSeconds());
            if (seconds <= 0) {
                seconds = DEFAULT_TOKEN_LIFETIME.toSeconds();
            }
            Duration lifetime = Duration.ofSeconds(seconds);
            // Refresh a little early: a token that expires in flight costs a 401 and a retry.
            Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(10)) < 0
                    ? lifetime.dividedBy(10)
                    : Duration.ofSeconds(10);
            return Future.succeededFuture(new Token(token, asked.plus(lifetime).minus(margin)));
        } catch (DecodeException | ClassCastException e) {
            return Future.failedFuture(unauthorized("token server answered with unreadable JSON"));
        }
    }

    private RegistryException unauthorized(String why) {
        return new RegistryException(
                "registry " + registry + " " + why,
                401,
                List.of(new RegistryException.Error(ErrorCode.UNAUTHORIZED, why)),
                null,
                null);
    }

    private static String key(List<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String hostOf(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "(unparseable realm)";
        }
    }
}
