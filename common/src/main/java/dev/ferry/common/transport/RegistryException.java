package dev.ferry.common.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one error type of the registry boundary. It carries the HTTP status (0 when no
 * response arrived), the spec's error codes, and whether a retry may succeed. Retry
 * policies decide on {@link #isTemporary()} alone.
 */
public class RegistryException extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entry of the spec's {@code {"errors": [...]}} body. */
    public record Error(ErrorCode code, String message) {}

    private final int status;
    private final List<Error> errors;
    private final Duration retryAfter;
    /** Whether the registry answered (sent response headers), whatever went wrong afterwards. */
    private final boolean answered;
    /** Whether the registry's TLS certificate was refused: never temporary. */
    private final boolean refusedTls;
    /** Whether the client changed its approach after this refusal, so a retry differs: temporary. */
    private final boolean retryAnotherWay;

    public RegistryException(String message, int status, List<Error> errors, Duration retryAfter, Throwable cause) {
        this(message, status, errors, retryAfter, cause, status != 0);
    }

    private RegistryException(
            String message, int status, List<Error> errors, Duration retryAfter, Throwable cause, boolean answered) {
        this(message, status, errors, retryAfter, cause, answered, false, false);
    }

    private RegistryException(
            String message,
            int status,
            List<Error> errors,
            Duration retryAfter,
            Throwable cause,
            boolean answered,
            boolean refusedTls) {
        this(message, status, errors, retryAfter, cause, answered, refusedTls, false);
    }

    private RegistryException(
            String message,
            int status,
            List<Error> errors,
            Duration retryAfter,
            Throwable cause,
            boolean answered,
            boolean refusedTls,
            boolean retryAnotherWay) {
        super(message, cause);
        this.refusedTls = refusedTls;
        this.retryAnotherWay = retryAnotherWay;
        this.status = status;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.answered = answered;
    }

    /** A failure with no HTTP response: connection refused, reset, timed out. */
    public static RegistryException network(String what, Throwable cause) {
        String detail = cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
        return new RegistryException(what + ": " + detail, 0, List.of(), null, cause);
    }

    /**
     * A registry whose TLS certificate was refused: fails closed and is not temporary, since
     * the same certificate would be refused again.
     *
     * @param what the operation, resource and registry
     */
    public static RegistryException certificate(String what, CertificateProblem problem) {
        return new RegistryException(
                what + ": TLS certificate refused: the registry's certificate " + problem.getMessage(),
                0,
                List.of(),
                null,
                problem,
                false,
                true);
    }

    /**
     * A TLS handshake the registry ended (an alert such as {@code bad_certificate}): not
     * temporary, since it would end the next one the same way. When Ferry offered no client
     * certificate, the message says that the registry may want one.
     */
    public static RegistryException tlsHandshake(
            String what, javax.net.ssl.SSLHandshakeException e, boolean offeredClientCertificate) {
        return new RegistryException(
                what + ": TLS handshake refused: " + e.getMessage()
                        + (offeredClientCertificate
                                ? ""
                                : "; the registry may require a client certificate: give tls.certFile and"
                                        + " tls.keyFile (ferry copy: client.cert and client.key in the --src-cert-dir / --dest-cert-dir)"),
                0,
                List.of(),
                null,
                e,
                false,
                true);
    }

    /**
     * A refusal that the same call, made again, avoids: the client learned from it and will take
     * another way (a chunked upload refused: the next attempt goes in one PUT). Temporary, so the
     * caller's retry makes that next attempt.
     */
    public static RegistryException retryAnotherWay(String what, int status, String problem) {
        return new RegistryException(what + ": " + problem, status, List.of(), null, null, true, false, true);
    }

    /**
     * A request that took longer than one of its timeouts. Temporary (status 0): the next
     * attempt may find the registry or the network responsive again.
     *
     * @param what the operation, resource and registry
     * @param limit which limit, e.g. "no response headers within 60s (first-byte timeout)"
     */
    public static RegistryException timeout(String what, String limit, Throwable cause) {
        return new RegistryException(what + ": " + limit, 0, List.of(), null, cause);
    }

    /**
     * A response body that stopped arriving: temporary (status 0) like {@link #timeout}, but
     * the registry did answer, so {@link #gaveNoResponse()} is false. One repository whose body
     * stalls says nothing about the registry's other repositories.
     */
    public static RegistryException stalledBody(String what, String limit, Throwable cause) {
        return new RegistryException(what + ": " + limit, 0, List.of(), null, cause, true);
    }

    /**
     * A response Ferry cannot use although its status said success: a pagination that loops
     * or never ends, say. Not temporary: the registry would answer the same way again.
     *
     * @param what the operation, resource and registry
     * @param status the status of the response that went wrong (2xx)
     * @param problem what is wrong with it
     */
    public static RegistryException unusableResponse(String what, int status, String problem) {
        return new RegistryException(what + ": " + problem, status, List.of(), null, null);
    }

    /**
     * Builds the exception for an error response.
     *
     * @param what the operation and the resource, e.g. "GET manifest hub/app:v1"
     * @param body the response body, possibly empty; only its spec error entries are kept
     */
    public static RegistryException fromResponse(String what, int status, String body, Duration retryAfter) {
        List<Error> errors = parseErrors(body);
        StringBuilder msg = new StringBuilder(what).append(": HTTP ").append(status);
        for (Error e : errors) {
            msg.append(", ").append(e.code());
            if (e.message() != null && !e.message().isBlank()) {
                msg.append(" (").append(e.message()).append(')');
            }
        }
        return new RegistryException(msg.toString(), status, errors, retryAfter, null);
    }

    static List<Error> parseErrors(String body) {
        List<Error> out = new ArrayList<>();
        if (body == null || body.isBlank()) {
            return out;
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            for (JsonNode e : errors) {
                String message = e.path("message").asText(null);
                out.add(new Error(ErrorCode.of(e.path("code").asText(null)), truncate(message)));
            }
        } catch (Exception ignored) {
            // Not the spec's JSON (a proxy's HTML page, say): the status says enough.
        }
        return out;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    public int status() {
        return status;
    }

    public List<Error> errors() {
        return errors;
    }

    public boolean hasCode(ErrorCode code) {
        return errors.stream().anyMatch(e -> e.code() == code);
    }

    /** How long the registry asked us to wait, from {@code Retry-After}. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** True when the same request may succeed later: network errors, 408, 429, and 5xx but 501. */
    /** Whether no response arrived at all: refused, reset or timed out before any headers. */
    public boolean gaveNoResponse() {
        return !answered;
    }

    /**
     * Whether the TLS handshake failed for good: Ferry refused the registry's certificate
     * (unknown CA, expired, wrong host), or the registry refused Ferry (a client certificate it
     * wants). Never temporary.
     */
    public boolean refusedTls() {
        return refusedTls;
    }

    public boolean isTemporary() {
        if (refusedTls) {
            return false;
        }
        if (retryAnotherWay) {
            return true;
        }
        if (status == 0) {
            return true;
        }
        if (status == 408 || status == 429 || hasCode(ErrorCode.TOOMANYREQUESTS)) {
            return true;
        }
        return status >= 500 && status != 501 && status != 505;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
