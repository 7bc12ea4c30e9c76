package dev.ferry.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.coordinator.health.RouteView;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Long-polls {@code GET /v1/routes/{name}?wait=SECONDS} with {@code If-None-Match}: the API holds
 * the request until the route's choice changes or the wait is over (304). Every request is
 * bounded: a connect timeout, and a request timeout of the wait plus {@link #SLACK}.
 */
public final class ApiRouteSource implements RouteSource {

    /** How long past the asked wait an answer may take before the request is given up. */
    static final Duration SLACK = Duration.ofSeconds(20);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A route is a few KiB of JSON; anything far larger is not a route. */
    static final int MAX_BODY_CHARS = 1024 * 1024;

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String server;
    private final Supplier<String> token;
    private final HttpClient http;

    /**
     * @param server the API's base URL, {@code http(s)://HOST:PORT}
     * @param token reads the bearer token for each request (a rotated file is picked up); null for none. What it
     *     throws is reported by its message, which must not hold the token
     * @param ssl trust for an https server; null for the JVM's
     */
    public ApiRouteSource(String server, Supplier<String> token, SSLContext ssl) {
        this.server = server.replaceAll("/+$", "");
        this.token = token;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
    }

    /** Checks a server URL the way the agent needs it; the message names the flag's value. */
    public static String checkServer(String server) {
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server is not a URL: " + server);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("--server must be http://HOST:PORT or https://HOST:PORT, not " + server);
        }
        return server;
    }

    @Override
    public Answer poll(String route, String etag, Duration wait) throws RouteFetchException, InterruptedException {
        String path =
                "/v1/routes/" + URLEncoder.encode(route, StandardCharsets.UTF_8).replace("+", "%20");
        long seconds = etag == null ? 0 : Math.max(0, wait.toSeconds());
        HttpRequest.Builder req = HttpRequest.newBuilder(
                        URI.create(server + path + (seconds > 0 ? "?wait=" + seconds : "")))
                .timeout(Duration.ofSeconds(seconds).plus(SLACK))
                .header("Accept", "application/json")
                .GET();
        if (etag != null) {
            req.header("If-None-Match", etag);
        }
        String bearer;
        try {
            bearer = token == null ? null : token.get();
        } catch (RuntimeException e) {
            throw new RouteFetchException("route " + route + ": " + e.getMessage(), 0);
        }
        if (bearer != null) {
            req.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new RouteFetchException(
                    "route " + route + ": " + server + " did not answer within " + (seconds + SLACK.toSeconds()) + " s",
                    0);
        } catch (IOException e) {
            String why = e.getMessage() == null || e.getMessage().isBlank()
                    ? (e instanceof java.net.ConnectException ? "connection failed" : "I/O error") + " ("
                            + e.getClass().getSimpleName() + ")"
                    : e.getMessage();
            throw new RouteFetchException("route " + route + ": cannot reach " + server + ": " + why, 0);
        }
        if (resp.statusCode() == 304) {
            return null;
        }
        if (resp.statusCode() != 200) {
            throw new RouteFetchException(
                    "route " + route + ": " + server + " answered " + resp.statusCode() + ": "
                            + apiMessage(resp.body()),
                    resp.statusCode());
        }
        String body = resp.body();
        RouteView view;
        try {
            if (body.length() > MAX_BODY_CHARS) {
                throw new IOException("too large");
            }
            view = JSON.readValue(body, RouteView.class);
        } catch (IOException e) {
            throw new RouteFetchException(
                    "route " + route + ": " + server + " answered 200 with a body that is not a" + " route", 200);
        }
        if (view == null || !route.equals(view.name())) {
            throw new RouteFetchException(
                    "route " + route + ": " + server + " answered with another route ("
                            + (view == null ? "none" : view.name()) + ")",
                    200);
        }
        return new Answer(view, resp.headers().firstValue("ETag").orElse(null));
    }

    /** The API's {@code error.message}, or a note that the body was not an API error. */
    private static String apiMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            String message = node.path("error").path("message").asText("");
            if (!message.isBlank()) {
                return message.length() > 500 ? message.substring(0, 500) + "..." : message;
            }
        } catch (IOException | RuntimeException e) {
            // Not an API error body.
        }
        return "(no API error message)";
    }
}
