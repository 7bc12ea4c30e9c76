package dev.ferry.coordinator.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which {@code Host} headers name this API, from the address it is bound to. Never resolves a
 * name (that would block the event loop, and DNS is what a rebinding attack controls).
 *
 * <ul>
 *   <li>Bound to loopback (dev mode's only place): the bound name, {@code localhost} and names
 *       under {@code .localhost}, and loopback IP literals (127.0.0.0/8, {@code [::1]}).
 *   <li>Bound to one other address or name: that one, any IP literal (a page cannot make a
 *       browser send an IP it does not serve) and the loopback names.
 *   <li>Bound to every interface (0.0.0.0, ::): any Host. Tokens are required there (dev mode
 *       is loopback only), and a page has no token to send.
 * </ul>
 */
final class HostRule {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

    private final String bound;
    private final boolean loopback;
    private final boolean wildcard;

    private HostRule(String bound, boolean loopback, boolean wildcard) {
        this.bound = bound;
        this.loopback = loopback;
        this.wildcard = wildcard;
    }

    /** @param bindHost the host the server listens on, as given ({@code 127.0.0.1}, {@code [::1]}, a name) */
    static HostRule forBind(String bindHost) {
        String host = normalise(bindHost);
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
        return new HostRule(host, !wildcard && isLoopbackName(host), wildcard);
    }

    boolean allows(String hostHeader) {
        if (wildcard) {
            return true;
        }
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostOf(hostHeader);
        if (host == null) {
            return false;
        }
        if (host.equals(bound) || isLoopbackName(host)) {
            return true;
        }
        return !loopback && isIpLiteral(host);
    }

    /** What {@link #allows} accepts, for the refusal's message. */
    String describe() {
        if (loopback) {
            return "this API listens on loopback and answers to " + bound + ", localhost and loopback addresses only";
        }
        return "this API answers to " + bound + ", IP addresses and localhost only";
    }

    /** The host part of a Host header, lower-case, without port or trailing dot; null when malformed. */
    private static String hostOf(String header) {
        String h = header.strip();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = h.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
                return null;
            }
            return normalise(h.substring(0, close + 1));
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!h.substring(colon).matches(":\\d{1,5}")) {
                return null;
            }
            h = h.substring(0, colon);
        }
        return normalise(h);
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isLoopbackName(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        if (isIpv4(host)) {
            return host.startsWith("127.");
        }
        if (!isIpv6(host)) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress(); // with a ':' Java never looks the text up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isIpLiteral(String host) {
        return isIpv4(host) || isIpv6(host);
    }

    private static boolean isIpv4(String host) {
        if (!IPV4.matcher(host).matches()) {
            return false;
        }
        for (String octet : host.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String host) {
        if (!host.contains(":") || !host.matches("[0-9a-f:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
