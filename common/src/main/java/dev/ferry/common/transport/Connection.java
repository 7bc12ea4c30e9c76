package dev.ferry.common.transport;

import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ProxyOptions;

/**
 * How requests to one registry travel: its TLS options (trusted CAs, client certificate,
 * verification) and its egress proxy. Built once per registry by {@link Connections} and
 * kept, so Vert.x reuses one TLS context and one connection pool for it.
 *
 * @param tls null for Vert.x's defaults (plain HTTP registries)
 * @param proxy null to connect directly
 */
public record Connection(ClientSSLOptions tls, ProxyOptions proxy) {

    /** Direct, with Vert.x's default TLS: the JVM trust store and the client's own settings. */
    public static final Connection DIRECT = new Connection(null, null);

    public RequestOptions apply(RequestOptions options) {
        if (tls != null) {
            options.setSslOptions(tls);
        }
        if (proxy != null) {
            options.setProxyOptions(proxy);
        }
        return options;
    }

    /** Whether requests offer a client certificate when the registry asks for one. */
    public boolean offersClientCertificate() {
        return tls != null && tls.getKeyCertOptions() != null;
    }

    /** The TLS handshake failure somewhere in {@code e}'s causes, or null. */
    public static javax.net.ssl.SSLHandshakeException handshakeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException h) {
                return h;
            }
        }
        return null;
    }

    /** For messages: the proxy's address, never its credentials. */
    public String describeProxy() {
        return EgressProxy.describe(proxy);
    }
}
