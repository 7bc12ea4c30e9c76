package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The control API as methods: one per endpoint {@code ferry ctl} and the integration tests
 * call, each with its path, body and timeout. Answers are the API's JSON as it is (the API
 * docs describe it), so {@code --json} prints exactly what the API said. A 2xx answer is
 * returned; anything else is an {@link ApiError} carrying the status, the API's error code and
 * its message. Blocking ({@link ControlTransport}): for the CLI and tests, never an event loop.
 *
 * <p>Over 300 lines because one short method per control-API endpoint, so that ctl and the tests share one typed client.
 */
public final class ControlClient {

    /** A non-2xx answer. Its message is the API's {@code error.message}, or {@code HTTP <status>}. */
    public static final class ApiError extends IllegalStateException {
        private final int status;
        private final String code;

        ApiError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        /** The API's {@code error.code} (e.g. {@code not_found}), or null when the body had none. */
        public String code() {
            return code;
        }
    }

    /** The filters of {@code GET /v1/jobs}; null fields are left out. */
    public record JobQuery(String state, String policy, String tier, int limit) {

        public static final int DEFAULT_LIMIT = 100;

        public static JobQuery all() {
            return new JobQuery(null, null, null, DEFAULT_LIMIT);
        }

        public JobQuery withState(String s) {
            return new JobQuery(s, policy, tier, limit);
        }

        public JobQuery withPolicy(String p) {
            return new JobQuery(state, p, tier, limit);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration LONGER = Duration.ofSeconds(60);

    private final ControlTransport transport;

    /**
     * @param server the API's base URL, e.g. {@code http://127.0.0.1:8080}
     * @param token a bearer token, or null for none
     * @param trust the TLS trust for an https server, or null for the JVM's trust store
     * @throws IllegalArgumentException when {@code server} is not a URL
     */
    public ControlClient(String server, String token, SSLContext trust) {
        this.transport = new ControlTransport(server, token, trust);
    }

    /** A client of a plain-HTTP API without a token (tests, a dev-mode member). */
    public static ControlClient of(String server) {
        return new ControlClient(server, null, null);
    }

    public String server() {
        return transport.server();
    }

    // ---- runs and policies ----

    /** {@code POST /v1/policies/{name}/sync}; with {@code wait}, answers when the run ended. */
    public JsonNode sync(String policy, boolean wait) {
        return call(
                "POST",
                "/v1/policies/" + enc(policy) + "/sync" + (wait ? "?wait=true" : ""),
                null,
                wait ? Duration.ofHours(24) : LONGER);
    }

    public JsonNode pause(String policy) {
        return call("POST", "/v1/policies/" + enc(policy) + "/pause", null, SHORT);
    }

    public JsonNode resume(String policy) {
        return call("POST", "/v1/policies/" + enc(policy) + "/resume", null, SHORT);
    }

    /** {@code GET /v1/runs/{id}}. */
    public JsonNode run(String id) {
        return call("GET", "/v1/runs/" + enc(id), null, SHORT);
    }

    public JsonNode cancel(String run) {
        return call("POST", "/v1/runs/" + enc(run) + "/cancel", null, LONGER);
    }

    /** {@code GET /v1/jobs}: the job array, newest change first. */
    public JsonNode jobs(JobQuery q) {
        StringBuilder path = new StringBuilder("/v1/jobs?limit=").append(q.limit());
        if (q.state() != null) {
            path.append("&state=").append(enc(q.state()));
        }
        if (q.policy() != null) {
            path.append("&policy=").append(enc(q.policy()));
        }
        if (q.tier() != null) {
            path.append("&tier=").append(enc(q.tier()));
        }
        return call("GET", path.toString(), null, LONGER);
    }

    // ---- history, rollback, pins, drift ----

    /** {@code GET /v1/history} of a target repository, or of one tag when {@code tag} is not null. */
    public JsonNode history(String registry, String repository, String tag, int limit) {
        return call(
                "GET",
                "/v1/history?registry=" + enc(registry) + "&repository=" + enc(repository) + "&limit=" + limit
                        + (tag == null ? "" : "&tag=" + enc(tag)),
                null,
                LONGER);
    }

    /** {@code POST /v1/rollback} of one tag, to {@code to} or (null) what it held before Ferry's last write. */
    public JsonNode rollbackTag(String registry, String repository, String tag, String to) {
        ObjectNode body = JSON.createObjectNode()
                .put("registry", registry)
                .put("repository", repository)
                .put("tag", tag);
        if (to != null) {
            body.put("to", to);
        }
        return call("POST", "/v1/rollback", body, LONGER);
    }

    /**
     * {@code POST /v1/rollback} of every tag Ferry wrote in a target repository, back to its state
     * at {@code at} (ISO-8601) or before run {@code beforeRun}: give one of them.
     */
    public JsonNode rollbackRepository(String registry, String repository, String at, String beforeRun) {
        ObjectNode body = JSON.createObjectNode().put("registry", registry).put("repository", repository);
        if (at != null) {
            body.put("at", at);
        }
        if (beforeRun != null) {
            body.put("beforeRun", beforeRun);
        }
        return call("POST", "/v1/rollback", body, LONGER);
    }

    /** {@code POST /v1/rollback} of every tag a run wrote. */
    public JsonNode rollbackRun(String run) {
        return call("POST", "/v1/rollback", JSON.createObjectNode().put("run", run), LONGER);
    }

    public JsonNode pins() {
        return call("GET", "/v1/pins", null, SHORT);
    }

    public JsonNode unpin(String registry, String repository, String tag) {
        return call(
                "DELETE",
                "/v1/pins/" + enc(registry) + "?repository=" + enc(repository) + "&tag=" + enc(tag),
                null,
                SHORT);
    }

    /** {@code GET /v1/drift}, of one policy when {@code policy} is not null. */
    public JsonNode drift(String policy) {
        return call("GET", "/v1/drift" + (policy == null ? "" : "?policy=" + enc(policy)), null, LONGER);
    }

    /** {@code POST /v1/policies/{name}/verify}: checks the policy's targets now. */
    public JsonNode verify(String policy) {
        return call("POST", "/v1/policies/" + enc(policy) + "/verify", null, Duration.ofMinutes(30));
    }

    // ---- links ----

    public JsonNode links() {
        return call("GET", "/v1/links", null, SHORT);
    }

    public JsonNode setLink(String from, String to, String bandwidth) {
        return call(
                "PUT",
                "/v1/links/" + enc(from) + "/" + enc(to),
                JSON.createObjectNode().put("bandwidth", bandwidth),
                SHORT);
    }

    // ---- health, routes, drills ----

    public JsonNode status() {
        return call("GET", "/v1/status", null, SHORT);
    }

    public JsonNode registries() {
        return call("GET", "/v1/registries", null, SHORT);
    }

    /** One registry's entry of {@link #registries()}, if the schedule has it. */
    public Optional<JsonNode> registry(String name) {
        for (JsonNode r : registries().path("registries")) {
            if (name.equals(r.path("name").asText())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public JsonNode routes() {
        return call("GET", "/v1/routes", null, SHORT);
    }

    public JsonNode route(String name) {
        return call("GET", "/v1/routes/" + enc(name), null, SHORT);
    }

    /** A route as a consumer file: {@code hosts.toml} (containerd) and the others {@code GET /v1/routes/{name}/...} serves. */
    public String routeFile(String name, String file) {
        return text("/v1/routes/" + enc(name) + "/" + file, SHORT);
    }

    /** {@code POST /v1/registries/{name}/failover}; {@code reason} (may be null) goes to the audit record. */
    public JsonNode failover(String registry, String reason) {
        return call("POST", "/v1/registries/" + enc(registry) + "/failover", reasonBody(reason), LONGER);
    }

    public JsonNode drain(String registry, String reason) {
        return call("POST", "/v1/registries/" + enc(registry) + "/drain", reasonBody(reason), LONGER);
    }

    /** Refused (an {@link ApiError}, 409) until the registry's catch-up is verified, unless {@code force}. */
    public JsonNode failback(String registry, boolean force) {
        return call(
                "POST", "/v1/registries/" + enc(registry) + "/failback" + (force ? "?force=true" : ""), null, LONGER);
    }

    /** {@code POST /v1/drills}; {@code duration} as in the schedule, e.g. {@code 5m}. */
    public JsonNode startDrill(String registry, String duration) {
        return call(
                "POST",
                "/v1/drills",
                JSON.createObjectNode().put("registry", registry).put("duration", duration),
                LONGER);
    }

    public JsonNode drill(String id) {
        return call("GET", "/v1/drills/" + enc(id), null, SHORT);
    }

    // ---- audit ----

    /** {@code GET /v1/audit}: ledger lines (JSON lines, not one document) from {@code since}, at most {@code limit}. */
    public String audit(long since, int limit) {
        return text("/v1/audit?since=" + since + "&limit=" + limit, Duration.ofMinutes(5));
    }

    /** {@code GET /v1/audit} with the API's default paging. */
    public String audit() {
        return text("/v1/audit", Duration.ofMinutes(5));
    }

    /** {@code GET /v1/reports/compliance?since=}: the compliance report of the last {@code since} (e.g. 30d). */
    public JsonNode complianceReport(String since) {
        return call("GET", "/v1/reports/compliance?since=" + enc(since), null, Duration.ofMinutes(5));
    }

    // ---- plumbing ----

    /** A GET of a JSON answer at a path this class has no method for yet. */
    public JsonNode get(String path) {
        return call("GET", path, null, LONGER);
    }

    private static ObjectNode reasonBody(String reason) {
        ObjectNode body = JSON.createObjectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }

    private JsonNode call(String method, String path, JsonNode body, Duration timeout) {
        return transport.call(method, path, body, timeout);
    }

    private String text(String path, Duration timeout) {
        return transport.text(path, timeout);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
