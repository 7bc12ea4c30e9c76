package dev.ferry.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * What kind of registry {@link RegistryProcess#start(RegistryOptions)} starts.
 *
 * @param auth           client authentication, {@link RegistryAuth#none()} by default
 * @param startupTimeout how long to wait for {@code GET /v2/} to answer
 * @param binary         the distribution executable
 */
public record RegistryOptions(RegistryAuth auth, Duration startupTimeout, String binary) {

    public static final String DEFAULT_BINARY = "docker-registry";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(15);

    public RegistryOptions {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(binary, "binary");
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(RegistryAuth.none(), DEFAULT_STARTUP_TIMEOUT, DEFAULT_BINARY);
    }

    public RegistryOptions withAuth(RegistryAuth newAuth) {
        return new RegistryOptions(newAuth, startupTimeout, binary);
    }

    public RegistryOptions withBasicAuth(String username, String password) {
        return withAuth(RegistryAuth.basic(username, password));
    }

    public RegistryOptions withTokenAuth(TokenIssuer issuer) {
        return withAuth(RegistryAuth.token(issuer));
    }

    public RegistryOptions withStartupTimeout(Duration timeout) {
        return new RegistryOptions(auth, timeout, binary);
    }

    public RegistryOptions withBinary(String newBinary) {
        return new RegistryOptions(auth, startupTimeout, newBinary);
    }
}
