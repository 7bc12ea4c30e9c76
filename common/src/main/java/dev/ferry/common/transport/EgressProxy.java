package dev.ferry.common.transport;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a registry is reached through an egress proxy: a registry's own
 * {@code proxy:} wins ({@code direct} turns proxying off for it); otherwise
 * {@code HTTPS_PROXY} (for https registries) or {@code HTTP_PROXY} (for http ones) applies
 * unless {@code NO_PROXY} names the host. Lower-case variables count too, upper case first.
 *
 * <p>Loopback is not special: unlike some tools, Ferry proxies {@code localhost} and
 * {@code 127.0.0.1} too unless {@code NO_PROXY} lists them, so the rule is the same for every host.
 */
public final class EgressProxy {

    /** The value of a registry's {@code proxy:} that means "never through a proxy". */
    public static final String DIRECT = "direct";

    private final Map<String, String> env;

    public EgressProxy(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static EgressProxy fromEnvironment() {
        return new EgressProxy(System.getenv());
    }

    /** No proxy at all, whatever the environment says. */
    public static EgressProxy none() {
        return new EgressProxy(Map.of());
    }

    /**
     * The proxy for {@code host} ({@code HOST[:PORT]}), or null to connect directly.
     *
     * @param configured the registry's {@code proxy:}; null when it sets none
     */
    public ProxyOptions choose(String configured, String host, boolean https) {
        if (configured != null) {
            return DIRECT.equals(configured) ? null : parse(configured);
        }
        String url = variable(https ? "HTTPS_PROXY" : "HTTP_PROXY");
        if (url == null || url.isBlank() || excluded(host)) {
            return null;
        }
        return parse(url.contains("://") ? url : "http://" + url);
    }

    private String variable(String name) {
        String upper = env.get(name);
        return upper != null ? upper : env.get(name.toLowerCase(Locale.ROOT));
    }

    boolean excluded(String hostAndPort) {
        String list = variable("NO_PROXY");
        if (list == null || list.isBlank()) {
            return false;
        }
        String host = hostOnly(hostAndPort).toLowerCase(Locale.ROOT);
        for (String raw : list.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            if (entry.contains(":") && !entry.startsWith("[") && entry.indexOf(':') == entry.lastIndexOf(':')) {
                if (entry.equals(hostAndPort.toLowerCase(Locale.ROOT))) {
                    return true;
                }
                continue;
            }
            String domain = entry.startsWith("*.") ? entry.substring(1) : entry;
            domain = domain.startsWith(".") ? domain.substring(1) : domain;
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    private static String hostOnly(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int end = hostAndPort.indexOf(']');
            return end > 0 ? hostAndPort.substring(1, end) : hostAndPort;
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon > 0 && hostAndPort.indexOf(':') == colon ? hostAndPort.substring(0, colon) : hostAndPort;
    }

    /**
     * Parses {@code http://HOST:PORT} or {@code socks5://HOST:PORT}, with optional
     * {@code USER:PASSWORD@} (kept out of every message).
     *
     * @throws IllegalArgumentException naming what is wrong, never the password
     */
    public static ProxyOptions parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the proxy is not a URL like http://HOST:PORT");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        ProxyType type = switch (scheme) {
            case "http" -> ProxyType.HTTP;
            case "socks5" -> ProxyType.SOCKS5;
            default ->
                throw new IllegalArgumentException("the proxy must be http://HOST:PORT or socks5://HOST:PORT, not "
                        + (scheme.isEmpty() ? "a URL without scheme" : scheme + "://"));
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the proxy URL names no host");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("the proxy URL must be only scheme, host and port");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (type == ProxyType.HTTP ? 80 : 1080);
        ProxyOptions options =
                new ProxyOptions().setType(type).setHost(uri.getHost()).setPort(port);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            options.setUsername(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                options.setPassword(decode(userInfo.substring(colon + 1)));
            }
        }
        return options;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The proxy as a message may show it: scheme, host and port, never credentials. */
    public static String describe(ProxyOptions proxy) {
        return proxy == null
                ? "direct"
                : proxy.getType().name().toLowerCase(Locale.ROOT) + "://" + proxy.getHost() + ":" + proxy.getPort();
    }
}
