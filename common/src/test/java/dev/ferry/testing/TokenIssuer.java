package dev.ferry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token server for distribution's {@code token} auth scheme, on a free loopback port.
 *
 * <p>{@code GET /token?service=S&scope=repository:a/b:pull,push&scope=...} with valid HTTP basic
 * credentials returns {@code {"token", "access_token", "expires_in", "issued_at"}} granting exactly
 * the requested actions. The token is an ES256 JWT whose {@code x5c} header holds a self-signed
 * certificate; {@link #certFile()} is that certificate as PEM, for the registry's
 * {@code rootcertbundle}. Every request is recorded (without secrets) in {@link #requests()}.
 *
 * <p>With {@link Builder#refreshToken}, it also answers the OAuth2 grant Docker uses for
 * identity tokens: {@code POST /token} with a form {@code grant_type=refresh_token},
 * {@code refresh_token}, {@code service}, {@code scope} (space-separated) and
 * {@code client_id}, returning {@code access_token}. A wrong refresh token gets 400
 * {@code invalid_grant}, as OAuth2 servers answer. Such requests are recorded with the
 * account {@code refresh_token}.
 */
public final class TokenIssuer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenIssuer.class);

    private final String username;
    private final String password;
    private final String service;
    private final String issuer;
    private final Duration expiresIn;
    private final boolean anonymousPull;
    private volatile String refreshToken;
    private final Path workDir;
    private final Path certFile;
    private final JwtSigner signer;
    private final ObjectMapper json = new ObjectMapper();
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;
    private final HttpServer server;

    private TokenIssuer(Builder b) {
        this.username = Objects.requireNonNull(b.username, "username");
        this.password = Objects.requireNonNull(b.password, "password");
        this.service = b.service;
        this.issuer = b.issuer;
        this.expiresIn = b.expiresIn;
        this.anonymousPull = b.anonymousPull;
        this.refreshToken = b.refreshToken;
        this.workDir = TempDirectory.create("ferry-token-issuer-");
        try {
            SigningIdentity identity = SigningIdentity.generate(issuer, Duration.ofDays(2));
            this.certFile = workDir.resolve("token-issuer.pem");
            identity.writeCertificatePem(certFile);
            // In case close() is never called: deleted in reverse order, file first.
            workDir.toFile().deleteOnExit();
            certFile.toFile().deleteOnExit();
            this.signer = new JwtSigner(identity, json);
            this.executor = DaemonThreads.cachedPool("token-issuer");
            this.server = HttpServer.create(new InetSocketAddress(FreePort.loopback(), 0), 0);
            server.createContext("/token", this::handle);
            server.setExecutor(executor);
            server.start();
        } catch (IOException | RuntimeException e) {
            TempDirectory.deleteRecursively(workDir);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        LOG.info("token issuer started at {} (service {}, issuer {})", realm(), service, issuer);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An issuer with default service/issuer names and a 300 s token lifetime. */
    public static TokenIssuer start(String username, String password) {
        return builder().credentials(username, password).start();
    }

    /** Mints a token for the configured user granting exactly {@code scopes}, without an HTTP round trip. */
    public String tokenFor(String... scopes) {
        List<TokenScope> parsed = new ArrayList<>();
        for (String scope : scopes) {
            parsed.add(TokenScope.parse(scope));
        }
        return mint(username, parsed, Instant.now().getEpochSecond());
    }

    /** {@code http://127.0.0.1:PORT/token}. */
    public String realm() {
        return "http://127.0.0.1:" + port() + "/token";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String service() {
        return service;
    }

    public String issuer() {
        return issuer;
    }

    public String username() {
        return username;
    }

    public Duration expiresIn() {
        return expiresIn;
    }

    /** PEM certificate that signs the tokens (the registry's {@code rootcertbundle}). */
    public Path certFile() {
        return certFile;
    }

    /** Every request received so far, oldest first. */
    public List<TokenRequest> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    /** Requests whose scopes include exactly {@code scope}, e.g. {@code repository:a/b:pull}. */
    public List<TokenRequest> requestsWithScope(String scope) {
        return requests.stream().filter(r -> r.hasScope(scope)).toList();
    }

    public boolean wasRequested(String scope) {
        return !requestsWithScope(scope).isEmpty();
    }

    public void clearRequests() {
        requests.clear();
    }

    /** From now on only {@code token} is accepted as a refresh token (null: the grant is refused). */
    public void rotateRefreshToken(String token) {
        this.refreshToken = token;
    }

    /** Account recorded for {@code grant_type=refresh_token} requests. */
    public static final String REFRESH_ACCOUNT = "refresh_token";

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("POST".equals(exchange.getRequestMethod())) {
                grant(exchange);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("UNSUPPORTED", "only GET is supported"));
                return;
            }
            Map<String, List<String>> params =
                    QueryString.parse(exchange.getRequestURI().getRawQuery());
            String requestedService =
                    params.getOrDefault("service", List.of(service)).get(0);
            List<String> scopes = new ArrayList<>();
            for (String value : params.getOrDefault("scope", List.of())) {
                for (String scope : value.trim().split(" +")) {
                    if (!scope.isEmpty()) {
                        scopes.add(scope);
                    }
                }
            }
            Optional<String> presentedUser = presentedUser(exchange);
            boolean authenticated = presentedUser.isPresent() && credentialsValid(exchange);
            String account =
                    params.containsKey("account") ? params.get("account").get(0) : presentedUser.orElse("");
            Answer answer = respond(exchange, requestedService, scopes, presentedUser.isPresent(), authenticated);
            // Recorded before the answer is sent: a client that has its token can rely on the record.
            TokenRequest request =
                    new TokenRequest(Instant.now(), requestedService, account, scopes, authenticated, answer.status());
            requests.add(request);
            LOG.debug(
                    "token request account={} scopes={} authenticated={} -> {}",
                    account,
                    scopes,
                    authenticated,
                    answer.status());
            send(exchange, answer.status(), answer.body());
        }
    }

    private record Answer(int status, ObjectNode body) {}

    private void grant(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readNBytes(64 * 1024);
        Map<String, List<String>> form = QueryString.parse(new String(raw, StandardCharsets.UTF_8));
        String grantType = first(form, "grant_type");
        String requestedService = first(form, "service");
        List<String> scopes = new ArrayList<>();
        String scopeText = first(form, "scope");
        if (scopeText != null) {
            for (String scope : scopeText.trim().split(" +")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        }
        String expected = refreshToken;
        boolean valid = "refresh_token".equals(grantType)
                && expected != null
                && first(form, "refresh_token") != null
                && constantTimeEquals(first(form, "refresh_token"), expected);
        Answer answer;
        if (!valid) {
            ObjectNode body = json.createObjectNode();
            body.put("error", "invalid_grant");
            answer = new Answer(400, body);
        } else if (requestedService != null && !service.equals(requestedService)) {
            answer = new Answer(400, error("INVALID_SERVICE", "unknown service " + requestedService));
        } else {
            List<TokenScope> granted = new ArrayList<>();
            for (String scope : scopes) {
                granted.add(TokenScope.parse(scope));
            }
            long now = Instant.now().getEpochSecond();
            ObjectNode body = json.createObjectNode();
            body.put("access_token", mint(username, granted, now));
            body.put("expires_in", expiresIn.toSeconds());
            body.put("scope", String.join(" ", scopes));
            answer = new Answer(200, body);
        }
        requests.add(new TokenRequest(
                Instant.now(),
                requestedService == null ? service : requestedService,
                REFRESH_ACCOUNT,
                scopes,
                valid,
                answer.status()));
        send(exchange, answer.status(), answer.body());
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private Answer respond(
            HttpExchange exchange,
            String requestedService,
            List<String> scopes,
            boolean credentialsPresented,
            boolean authenticated) {
        boolean anonymous = !credentialsPresented && anonymousPull;
        if (!authenticated && !anonymous) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + issuer + "\"");
            return new Answer(401, error("UNAUTHORIZED", "authentication required"));
        }
        if (!service.equals(requestedService)) {
            return new Answer(400, error("INVALID_SERVICE", "unknown service " + requestedService));
        }
        List<TokenScope> granted = new ArrayList<>();
        try {
            for (String scope : scopes) {
                TokenScope parsed = TokenScope.parse(scope);
                granted.add(
                        anonymous
                                ? new TokenScope(
                                        parsed.type(),
                                        parsed.name(),
                                        parsed.actions().stream()
                                                .filter("pull"::equals)
                                                .toList())
                                : parsed);
            }
        } catch (IllegalArgumentException e) {
            return new Answer(400, error("INVALID_SCOPE", e.getMessage()));
        }
        long now = Instant.now().getEpochSecond();
        String token = mint(authenticated ? username : "", granted, now);
        ObjectNode body = json.createObjectNode();
        body.put("token", token);
        body.put("access_token", token);
        body.put("expires_in", expiresIn.toSeconds());
        body.put("issued_at", Instant.ofEpochSecond(now).toString());
        return new Answer(200, body);
    }

    private String mint(String subject, List<TokenScope> scopes, long now) {
        ObjectNode claims = json.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", service);
        claims.put("exp", now + expiresIn.toSeconds());
        claims.put("nbf", now - 5);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (TokenScope scope : scopes) {
            ObjectNode entry = access.addObject();
            entry.put("type", scope.type());
            entry.put("name", scope.name());
            ArrayNode actions = entry.putArray("actions");
            scope.actions().forEach(actions::add);
        }
        return signer.sign(claims);
    }

    private static Optional<String> presentedUser(HttpExchange exchange) {
        return decodeBasic(exchange).map(pair -> pair[0]);
    }

    private boolean credentialsValid(HttpExchange exchange) {
        return decodeBasic(exchange)
                .map(pair -> constantTimeEquals(pair[0], username) & constantTimeEquals(pair[1], password))
                .orElse(false);
    }

    private static Optional<String[]> decodeBasic(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0
                    ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode error(String code, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        return body;
    }

    private int send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        TempDirectory.deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "TokenIssuer[" + realm() + ", service=" + service + ", issuer=" + issuer + ", user=" + username + "]";
    }

    /** Configures a {@link TokenIssuer}; {@link #credentials} is required. */
    public static final class Builder {
        private String username;
        private String password;
        private String service = "ferry-test-registry";
        private String issuer = "ferry-test-issuer";
        private Duration expiresIn = Duration.ofSeconds(300);
        private boolean anonymousPull;
        private String refreshToken;

        private Builder() {}

        /** An identity token the {@code grant_type=refresh_token} POST accepts. */
        public Builder refreshToken(String refreshToken) {
            this.refreshToken = Objects.requireNonNull(refreshToken);
            return this;
        }

        /** The only user accepted (HTTP basic) by the token endpoint. */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** The registry's {@code auth.token.service}, also the token audience. */
        public Builder service(String service) {
            this.service = Objects.requireNonNull(service);
            return this;
        }

        /** The registry's {@code auth.token.issuer}, also the token {@code iss} claim. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer);
            return this;
        }

        /** Token lifetime ({@code exp - iat} and {@code expires_in}); default 300 s. */
        public Builder expiresIn(Duration expiresIn) {
            this.expiresIn = Objects.requireNonNull(expiresIn);
            return this;
        }

        /** Answer requests without credentials with a token granting only {@code pull} (like Docker Hub). */
        public Builder allowAnonymousPull() {
            this.anonymousPull = true;
            return this;
        }

        public TokenIssuer start() {
            return new TokenIssuer(this);
        }
    }
}
