package dev.ferry.testing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What kind of registry {@link RegistryProcess#start(RegistryOptions)} starts.
 *
 * @param auth           client authentication, {@link RegistryAuth#none()} by default
 * @param startupTimeout how long to wait for {@code GET /v2/} to answer
 * @param binary         the distribution executable
 * @param notifications  where the registry posts its events; none by default
 * @param tls            serve HTTPS with these files; null for plain HTTP
 */
public record RegistryOptions(
        RegistryAuth auth, Duration startupTimeout, String binary, List<RegistryNotification> notifications, Tls tls) {

    /**
     * The registry's HTTPS certificate and key, and, when not null, the CA whose client
     * certificates it requires.
     */
    public record Tls(java.nio.file.Path cert, java.nio.file.Path key, java.nio.file.Path clientCa) {}

    public RegistryOptions(
            RegistryAuth auth, Duration startupTimeout, String binary, List<RegistryNotification> notifications) {
        this(auth, startupTimeout, binary, notifications, null);
    }

    /** Serves HTTPS with {@code server}'s certificate; requires client certificates of {@code clientCa} unless null. */
    public RegistryOptions withTls(TestCa.Issued server, java.nio.file.Path clientCa) {
        return new RegistryOptions(
                auth, startupTimeout, binary, notifications, new Tls(server.cert(), server.key(), clientCa));
    }

    public static final String DEFAULT_BINARY = "docker-registry";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(15);

    public RegistryOptions {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(binary, "binary");
        notifications = List.copyOf(notifications);
    }

    public RegistryOptions(RegistryAuth auth, Duration startupTimeout, String binary) {
        this(auth, startupTimeout, binary, List.of());
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(RegistryAuth.none(), DEFAULT_STARTUP_TIMEOUT, DEFAULT_BINARY);
    }

    public RegistryOptions withAuth(RegistryAuth newAuth) {
        return new RegistryOptions(newAuth, startupTimeout, binary, notifications, tls);
    }

    public RegistryOptions withBasicAuth(String username, String password) {
        return withAuth(RegistryAuth.basic(username, password));
    }

    public RegistryOptions withTokenAuth(TokenIssuer issuer) {
        return withAuth(RegistryAuth.token(issuer));
    }

    public RegistryOptions withStartupTimeout(Duration timeout) {
        return new RegistryOptions(auth, timeout, binary, notifications, tls);
    }

    public RegistryOptions withBinary(String newBinary) {
        return new RegistryOptions(auth, startupTimeout, newBinary, notifications, tls);
    }

    /** Adds an endpoint the registry sends its event notifications to. */
    public RegistryOptions withNotification(RegistryNotification endpoint) {
        List<RegistryNotification> all = new java.util.ArrayList<>(notifications);
        all.add(endpoint);
        return new RegistryOptions(auth, startupTimeout, binary, all, tls);
    }
}
