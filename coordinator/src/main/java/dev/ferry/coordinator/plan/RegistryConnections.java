package dev.ferry.coordinator.plan;

import dev.ferry.common.transport.Connection;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.TlsMaterialException;
import dev.ferry.config.model.RegistryConfig;

/**
 * A schedule registry's {@link Connection}: its {@code tls:} and {@code proxy:}. The loader
 * already read the TLS files; a file that went missing since is reported with the registry's
 * name. Blocking (reads files).
 */
public final class RegistryConnections {

    private RegistryConnections() {}

    public static Connection open(Connections connections, RegistryConfig config) {
        return open(connections, config, config.url());
    }

    /**
     * The Connection for one of the registry's URLs ({@code url} or one of {@code fallbackUrls}):
     * the registry's tls: and proxy:, the proxy chosen for that URL's host (NO_PROXY).
     */
    public static Connection open(Connections connections, RegistryConfig config, String url) {
        try {
            return connections.open(config.tls(), config.proxy(), host(url), url.startsWith("http://"));
        } catch (TlsMaterialException e) {
            throw new IllegalStateException(
                    "registry \"" + config.name() + "\" tls." + e.field() + ": " + e.getMessage(), e);
        }
    }

    /** host[:port] of a registry URL. */
    public static String host(String url) {
        java.net.URI u = java.net.URI.create(url);
        return u.getPort() > 0 ? u.getHost() + ":" + u.getPort() : u.getHost();
    }
}
