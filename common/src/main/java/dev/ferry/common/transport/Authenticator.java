package dev.ferry.common.transport;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
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
 */
public final class Authenticator {

  /** A token answer is a small JSON object; more than this is refused. */
  static final int MAX_TOKEN_BYTES = 256 * 1024;
  /** The token spec's default when the server omits {@code expires_in}. */
  static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

  private final HttpClientAgent http;
  private final Connection connection;
  private final Credentials credentials;
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
  public Authenticator(HttpClientAgent http, String registry, Credentials credentials, Clock clock,
      Timeouts timeouts) {
    this(http, registry, Connection.DIRECT, credentials, clock, timeouts);
  }

  /** @param connection the registry's TLS and proxy settings, used for its token realm too */
  public Authenticator(HttpClientAgent http, String registry, Connection connection, Credentials credentials,
      Clock clock, Timeouts timeouts) {
    this.http = http;
    this.connection = connection;
    this.registry = registry;
    this.credentials = credentials;
    this.clock = clock;
    this.reads = new BoundedReads(timeouts);
  }

  /** True once a challenge was seen or the registry was found to need none. */
  public boolean knowsScheme() {
    return challenge != null;
  }

  /** Records the registry's challenge from a 401; drops cached tokens for these scopes. */
  public void onChallenge(String wwwAuthenticate, List<String> scopes) {
    if (wwwAuthenticate == null) {
      throw new RegistryException(registry + " answered 401 without a WWW-Authenticate challenge",
          401, List.of(), null, null);
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
    if (credentials.hasToken()) {
      if (!c.isBearer()) {
        return Future.failedFuture(unauthorized("asks for " + c.scheme() + " auth, but only a bearer token was given"));
      }
      return Future.succeededFuture("Bearer " + credentials.token());
    }
    if (c.isBasic()) {
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
    if (cached != null && (!cached.isComplete()
        || (cached.succeeded() && clock.instant().isBefore(cached.result().refreshAt())))) {
      return cached.map(t -> "Bearer " + t.value());
    }
    Future<Token> fetch = fetchToken(c, scopes);
    tokens.put(key, fetch);
    fetch.onFailure(e -> tokens.remove(key, fetch));
    return fetch.map(t -> "Bearer " + t.value());
  }

  private Future<Token> fetchToken(AuthChallenge c, List<String> scopes) {
    String realm = c.param("realm");
    if (realm == null || realm.isEmpty()) {
      return Future.failedFuture(unauthorized("sent a Bearer challenge without a realm"));
    }
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
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString())
        .setConnectTimeout(reads.timeouts().connect().toMillis())
        .setIdleTimeout(reads.timeouts().idle().toMillis());
    connection.apply(options);
    if (!credentials.isAnonymous()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, credentials.basicHeader());
    }
    Instant asked = clock.instant();
    String what = "token request to " + hostOf(realm) + " for " + registry;
    return http.request(options)
        .compose(req -> reads.firstByte(req, req.send(), what))
        .compose(resp -> reads.body(resp, MAX_TOKEN_BYTES, what)
            .recover(e -> Future.failedFuture(e instanceof HttpTransport.BodyTooLargeException
                ? unauthorized("token server answered with more than " + MAX_TOKEN_BYTES + " bytes")
                : e))
            .compose(body -> parseToken(resp, body.toString(), asked)))
        .recover(e -> Future.failedFuture(e instanceof RegistryException re ? re
            : CertificateProblem.in(e) != null ? RegistryException.certificate(what, CertificateProblem.in(e))
            : Connection.handshakeFailure(e) != null ? RegistryException.tlsHandshake(what,
                Connection.handshakeFailure(e), connection.offersClientCertificate())
            : RegistryException.network(what + " failed", e)));
  }

  private Future<Token> parseToken(HttpClientResponse resp, String body, Instant asked) {
    if (resp.statusCode() != 200) {
      String why = resp.statusCode() == 401 || resp.statusCode() == 403
          ? (credentials.isAnonymous() ? "denied anonymous access" : "rejected the credentials for " + credentials)
          : "token server answered HTTP " + resp.statusCode();
      return Future.failedFuture(new RegistryException(registry + ": " + why, resp.statusCode(),
          List.of(new RegistryException.Error(ErrorCode.UNAUTHORIZED, why)), null, null));
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
          ? lifetime.dividedBy(10) : Duration.ofSeconds(10);
      return Future.succeededFuture(new Token(token, asked.plus(lifetime).minus(margin)));
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture(unauthorized("token server answered with unreadable JSON"));
    }
  }

  private RegistryException unauthorized(String why) {
    return new RegistryException("registry " + registry + " " + why, 401,
        List.of(new RegistryException.Error(ErrorCode.UNAUTHORIZED, why)), null, null);
  }

  private static String key(List<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String hostOf(String url) {
    try {
      return java.net.URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return "(unparseable realm)";
    }
  }
}
