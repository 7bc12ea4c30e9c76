package dev.ferry.testing;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One fault installed in a {@link FaultProxy}: what to do to requests with a given method whose
 * path (query excluded) fully matches a regex, for how many of them. Built with
 * {@link FaultProxy#on(String, String)}; the returned instance tells how often it fired.
 */
public final class ProxyFault {

    /** What the proxy does to a matching request. */
    public enum Kind {
        /** Answer with a given status, headers and body, without forwarding: a registry that misbehaves. */
        ANSWER,
        /** Answer with a status and a spec error body, without forwarding. */
        RESPOND,
        /** Forward the head and the first N body bytes upstream, then drop both connections. */
        CUT_REQUEST_BODY,
        /** Forward the request, relay the status, headers and first N body bytes, then drop both connections. */
        CUT_RESPONSE_BODY,
        /** Read the request, never answer; the connection stays open until the client or the proxy closes it. */
        STALL,
        /** Forward the request, relay the status, headers and first N body bytes, then send nothing more. */
        STALL_RESPONSE_BODY,
        /**
         * Forward the head and the first N request body bytes, then stop reading from the client: a
         * registry that takes no more bytes, so the client's backpressure never releases.
         */
        STALL_REQUEST_BODY,
        /**
         * Forward the request, then relay the response with some headers rewritten: a registry (or
         * a load balancer in front of one) with its own header habits.
         */
        REWRITE_RESPONSE_HEADERS
    }

    /** The pseudo-header naming the status line in {@link Builder#rewriteResponseHeaders}. */
    public static final String STATUS = ":status";

    /** Unlimited: fires until {@link FaultProxy#clear()} or {@link #cancel()}. */
    public static final int UNTIL_CLEARED = Integer.MAX_VALUE;

    private final String method;
    private final Pattern path;
    private final Kind kind;
    private final int status;
    private final Integer retryAfterSeconds;
    private final long bytes;
    private final Map<String, String> headers;
    private final String body;
    private Map<String, java.util.function.UnaryOperator<String>> rewrites = Map.of();
    private int toSkip;
    private int remaining;
    private int fired;

    private ProxyFault(Builder b, Kind kind, int status, Integer retryAfterSeconds, long bytes) {
        this(b, kind, status, retryAfterSeconds, bytes, Map.of(), null);
    }

    private ProxyFault(
            Builder b,
            Kind kind,
            int status,
            Integer retryAfterSeconds,
            long bytes,
            Map<String, String> headers,
            String body) {
        this.method = b.method;
        this.path = b.path;
        this.toSkip = b.skip;
        this.remaining = b.times;
        this.kind = kind;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.bytes = bytes;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    /** For {@link Kind#REWRITE_RESPONSE_HEADERS}: header name to its new value from the old (null: remove it). */
    public Map<String, java.util.function.UnaryOperator<String>> rewrites() {
        return rewrites;
    }

    public Kind kind() {
        return kind;
    }

    /** The status of a {@link Kind#RESPOND} fault. */
    public int status() {
        return status;
    }

    /** The Retry-After seconds of a {@link Kind#RESPOND} fault, or {@code null} for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The extra headers of an {@link Kind#ANSWER} fault. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body of an {@link Kind#ANSWER} fault. */
    public String body() {
        return body;
    }

    /** The byte count after which a cut fault drops the connections. */
    public long bytes() {
        return bytes;
    }

    /** How many requests this fault has been applied to so far. */
    public synchronized int fired() {
        return fired;
    }

    /** How many more matching requests it will be applied to. */
    public synchronized int remaining() {
        return remaining;
    }

    /** Stops applying this fault. */
    public synchronized void cancel() {
        remaining = 0;
    }

    /** Claims this fault for a request if it matches and is not used up. */
    synchronized boolean claim(String requestMethod, String requestPath) {
        boolean methodOk = method == null || method.equalsIgnoreCase(requestMethod);
        if (remaining <= 0 || !methodOk || !path.matcher(requestPath).matches()) {
            return false;
        }
        if (toSkip > 0) {
            toSkip--;
            return false;
        }
        if (remaining != UNTIL_CLEARED) {
            remaining--;
        }
        fired++;
        return true;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case ANSWER -> "answer " + status + " " + headers;
            case RESPOND ->
                "respond " + status + (retryAfterSeconds == null ? "" : " Retry-After " + retryAfterSeconds);
            case CUT_REQUEST_BODY -> "cut request body after " + bytes + " bytes";
            case CUT_RESPONSE_BODY -> "cut response body after " + bytes + " bytes";
            case STALL -> "stall";
            case STALL_RESPONSE_BODY -> "stall response body after " + bytes + " bytes";
            case STALL_REQUEST_BODY -> "stall request body after " + bytes + " bytes";
            case REWRITE_RESPONSE_HEADERS -> "rewrite response headers " + rewrites.keySet();
        };
        return (method == null ? "*" : method) + " " + path + ": " + what;
    }

    /** Chooses which requests, then installs the fault with one of the terminal methods. */
    public static final class Builder {

        private final String method;
        private final Pattern path;
        private final Consumer<ProxyFault> installer;
        private int skip;
        private int times = UNTIL_CLEARED;

        Builder(String method, String pathRegex, Consumer<ProxyFault> installer) {
            this.method = method == null || "*".equals(method) ? null : method.toUpperCase(Locale.ROOT);
            this.path = Pattern.compile(Objects.requireNonNull(pathRegex, "pathRegex"));
            this.installer = installer;
        }

        /** Lets the first {@code count} matching requests through untouched. */
        public Builder skip(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("skip must be >= 0: " + count);
            }
            this.skip = count;
            return this;
        }

        /** Applies the fault to the next {@code count} matching requests only (default: until cleared). */
        public Builder times(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("times must be >= 1: " + count);
            }
            this.times = count;
            return this;
        }

        /**
         * Answers {@code status} with {@code {"errors":[{"code":...,"message":...}]}} (TOOMANYREQUESTS for
         * 429, UNAVAILABLE for 503, UNKNOWN otherwise) without contacting the registry.
         *
         * @param retryAfterSeconds value of a {@code Retry-After} header, {@code null} to send none
         */
        public ProxyFault respond(int status, Integer retryAfterSeconds) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status must be a final status: " + status);
            }
            return install(new ProxyFault(this, Kind.RESPOND, status, retryAfterSeconds, 0));
        }

        /**
         * Answers {@code status} with {@code headers} and a JSON {@code body} without contacting the
         * registry, e.g. a tag list page whose {@code Link} header never ends.
         */
        public ProxyFault answer(int status, Map<String, String> headers, String body) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status must be a final status: " + status);
            }
            return install(new ProxyFault(this, Kind.ANSWER, status, null, 0, headers, Objects.requireNonNull(body)));
        }

        /** Forwards the request but drops both connections once {@code bytes} of its body reached the registry. */
        public ProxyFault cutRequestBodyAfter(long bytes) {
            return install(new ProxyFault(this, Kind.CUT_REQUEST_BODY, 0, null, nonNegative(bytes)));
        }

        /** Relays the response but drops both connections after {@code bytes} of its body. */
        public ProxyFault cutResponseBodyAfter(long bytes) {
            return install(new ProxyFault(this, Kind.CUT_RESPONSE_BODY, 0, null, nonNegative(bytes)));
        }

        /** Relays the response head and {@code bytes} of its body, then holds the connection open silently. */
        public ProxyFault stallResponseBodyAfter(long bytes) {
            return install(new ProxyFault(this, Kind.STALL_RESPONSE_BODY, 0, null, nonNegative(bytes)));
        }

        /**
         * Forwards the head and {@code bytes} of the request body, then reads nothing more from the client
         * and never answers, until the client gives up or the proxy closes.
         */
        public ProxyFault stallRequestBodyAfter(long bytes) {
            return install(new ProxyFault(this, Kind.STALL_REQUEST_BODY, 0, null, nonNegative(bytes)));
        }

        /**
         * Forwards the request and relays the response with each named header replaced by what its
         * function makes of the old value (null when absent); a function returning null removes it.
         */
        public ProxyFault rewriteResponseHeaders(Map<String, java.util.function.UnaryOperator<String>> changes) {
            ProxyFault fault = new ProxyFault(this, Kind.REWRITE_RESPONSE_HEADERS, 0, null, 0);
            fault.rewrites = Map.copyOf(changes);
            return install(fault);
        }

        /** Reads the request and never answers. */
        public ProxyFault stall() {
            return install(new ProxyFault(this, Kind.STALL, 0, null, 0));
        }

        private ProxyFault install(ProxyFault fault) {
            installer.accept(fault);
            return fault;
        }

        private static long nonNegative(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
            }
            return bytes;
        }
    }
}
