package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The HTTP under {@link ControlClient}: one request with a timeout, the bearer token, JSON in
 * and out, and a non-2xx answer turned into a {@link ControlClient.ApiError} with the API's
 * error code and message. Blocking ({@code java.net.http}), for the CLI and tests.
 */
final class ControlTransport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String server;
    private final String token;
    private final HttpClient http;

    /** @throws IllegalArgumentException when {@code server} (without trailing slashes) is not a URI */
    ControlTransport(String server, String token, SSLContext trust) {
        this.server = server.replaceAll("/+$", "");
        URI.create(this.server);
        this.token = token;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (trust != null) {
            b.sslContext(trust);
        }
        this.http = b.build();
    }

    String server() {
        return server;
    }

    /** Sends one request ({@code body} as JSON when not null); a 2xx answer gives its JSON, null when empty. */
    JsonNode call(String method, String path, JsonNode body, Duration timeout) {
        HttpResponse<String> resp = send(method, path, body, timeout);
        JsonNode answer = parse(resp.body());
        if (resp.statusCode() / 100 != 2) {
            throw error(resp.statusCode(), answer);
        }
        return answer;
    }

    /** A GET whose 2xx answer is text, not JSON. */
    String text(String path, Duration timeout) {
        HttpResponse<String> resp = send("GET", path, null, timeout);
        if (resp.statusCode() / 100 != 2) {
            throw error(resp.statusCode(), parse(resp.body()));
        }
        return resp.body();
    }

    /** The body as JSON; null when it is empty or not JSON (the status then says what happened). */
    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static ControlClient.ApiError error(int status, JsonNode answer) {
        JsonNode error = answer == null ? null : answer.path("error");
        String fallback = "HTTP " + status;
        return new ControlClient.ApiError(
                status,
                error == null || !error.hasNonNull("code")
                        ? null
                        : error.path("code").asText(),
                error == null ? fallback : error.path("message").asText(fallback));
    }

    private HttpResponse<String> send(String method, String path, JsonNode body, Duration timeout) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(timeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + server + ": " + Errors.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
