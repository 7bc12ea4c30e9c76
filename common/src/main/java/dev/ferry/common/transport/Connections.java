package dev.ferry.common.transport;

import io.vertx.core.net.ClientSSLOptions;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds each registry's {@link Connection} once and keeps it: the same settings give the
 * same instance, so clients made for later jobs share its TLS context and connection pool.
 * Building reads the TLS files: call {@link #open} off the event loop. Files changed on disk
 * are read again by a new instance (a reloaded schedule, a restarted worker).
 */
public final class Connections {

    private record Key(TlsSettings tls, String proxy, String host, boolean plainHttp) {}

    private final EgressProxy proxies;
    private final Clock clock;
    private final Map<Key, Connection> built = new ConcurrentHashMap<>();
    private final Map<TlsSettings, ClientSSLOptions> tlsBuilt = new ConcurrentHashMap<>();

    public Connections(EgressProxy proxies, Clock clock) {
        this.proxies = proxies;
        this.clock = clock;
    }

    /**
     * @param tls null for the defaults
     * @param proxy the registry's {@code proxy:} setting, null for the environment's
     * @throws TlsMaterialException when a TLS file is missing or unusable
     * @throws IllegalArgumentException when the proxy is not a usable URL
     */
    public Connection open(TlsSettings tls, String proxy, String host, boolean plainHttp) throws TlsMaterialException {
        TlsSettings settings = tls == null ? TlsSettings.DEFAULT : tls;
        Key key = new Key(settings, proxy, host, plainHttp);
        Connection known = built.get(key);
        if (known != null) {
            return known;
        }
        ClientSSLOptions ssl = plainHttp ? null : tlsOptions(settings);
        Connection c = new Connection(ssl, proxies.choose(proxy, host, !plainHttp));
        Connection raced = built.putIfAbsent(key, c);
        return raced != null ? raced : c;
    }

    private ClientSSLOptions tlsOptions(TlsSettings settings) throws TlsMaterialException {
        ClientSSLOptions known = tlsBuilt.get(settings);
        if (known != null) {
            return known;
        }
        ClientSSLOptions options = TlsMaterial.options(settings, clock);
        ClientSSLOptions raced = tlsBuilt.putIfAbsent(settings, options);
        return raced != null ? raced : options;
    }
}
