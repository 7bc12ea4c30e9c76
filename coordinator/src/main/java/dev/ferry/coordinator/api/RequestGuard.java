package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The first handler of every route, in every mode: it keeps web pages in a local browser from
 * driving the API. Browsers send {@code Host}, {@code Origin} and {@code Content-Type} as the
 * page's fetch made them, so:
 *
 * <ul>
 *   <li>{@code Host} (HTTP/2: {@code :authority}) must name this API ({@link HostRule}): a DNS-rebinding page reaches
 *       127.0.0.1 under its own name ({@code evil.example:8080}) and is refused with 403.
 *   <li>a present {@code Origin} must be this API's own origin ({@code http[s]://HOST}): a
 *       cross-origin request is refused with 403. Ferry's clients send no Origin.
 *   <li>a request with a body must say it is JSON ({@code application/json} or any
 *       {@code application/*+json}, such as distribution's notification type): anything else,
 *       including the form and {@code text/plain} types a page may send without CORS, is 415.
 * </ul>
 */
final class RequestGuard implements Handler<RoutingContext> {

    private final HostRule hosts;

    RequestGuard(HostRule hosts) {
        this.hosts = hosts;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String host = authority(request);
        if (!hosts.allows(host)) {
            ctx.fail(new ApiException(
                    403,
                    "forbidden_host",
                    host == null
                            ? "a Host header is required"
                            : "Host \"" + host + "\" does not name this API; " + hosts.describe()));
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !sameOrigin(origin, request.isSSL(), host)) {
            ctx.fail(new ApiException(
                    403,
                    "forbidden_origin",
                    "cross-origin requests are refused: Origin \"" + origin + "\" is not this API's origin"));
            return;
        }
        if (hasBody(request) && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            ctx.fail(notJson(request));
            return;
        }
        ctx.next();
    }

    /**
     * The same rule once the body is read (after the body handler): HTTP/2 may send a body with
     * neither Content-Length nor Transfer-Encoding, which {@link #handle} cannot see coming.
     */
    static void requireJsonBody(RoutingContext ctx) {
        var body = ctx.body().buffer();
        if (body != null && body.length() > 0 && !isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            ctx.fail(notJson(ctx.request()));
            return;
        }
        ctx.next();
    }

    private static ApiException notJson(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return new ApiException(
                415,
                "unsupported_media_type",
                "a request body must be JSON: send Content-Type:" + " application/json"
                        + (type == null ? " (none was given)" : " (got \"" + type + "\")"));
    }

    /**
     * The Host header of HTTP/1, or the {@code :authority} of HTTP/2 (a client that upgrades to
     * h2c sends no Host header after the upgrade), as {@code host[:port]}; null when absent.
     */
    private static String authority(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return null;
        }
        return authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
    }

    /** True for {@code application/json} and {@code application/*+json}, any parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
        if (type.equals("application/json")) {
            return true;
        }
        return type.startsWith("application/")
                && type.endsWith("+json")
                && type.indexOf('/') == type.lastIndexOf('/')
                && type.length() > "application/+json".length();
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.strip().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /** The page's origin is {@code scheme://host[:port]}; default ports may be left out on either side. */
    private static boolean sameOrigin(String origin, boolean tls, String host) {
        String scheme = tls ? "https://" : "http://";
        String defaultPort = tls ? ":443" : ":80";
        String own = withoutPort(scheme + host.toLowerCase(Locale.ROOT), defaultPort);
        return withoutPort(origin.strip().toLowerCase(Locale.ROOT), defaultPort).equals(own);
    }

    private static String withoutPort(String origin, String defaultPort) {
        return origin.endsWith(defaultPort) ? origin.substring(0, origin.length() - defaultPort.length()) : origin;
    }
}
