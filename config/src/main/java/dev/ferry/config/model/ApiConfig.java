package dev.ferry.config.model;

import java.util.List;

/**
 * The control API's address, TLS and bearer tokens.
 *
 * @param tlsCert PEM certificate file, or null for plain HTTP (loopback only, or behind a proxy)
 * @param tlsKey PEM private key file, or null
 * @param tlsClientCa PEM CA certificates that sign worker client certificates (mTLS), or null
 * @param tokens the accepted tokens, by hash; empty means dev mode (loopback only, no auth)
 * @param tokenKeyFile file holding the key that signs tokens minted by the API, or null (no minting)
 */
public record ApiConfig(
        String listen, String tlsCert, String tlsKey, String tlsClientCa, List<ApiToken> tokens, String tokenKeyFile) {

    public static final String DEFAULT_LISTEN = "127.0.0.1:8080";

    public ApiConfig {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    public ApiConfig(String listen, String tlsCert, String tlsKey) {
        this(listen, tlsCert, tlsKey, null, List.of(), null);
    }

    public static ApiConfig defaults() {
        return new ApiConfig(DEFAULT_LISTEN, null, null);
    }

    public boolean tls() {
        return tlsCert != null && tlsKey != null;
    }
}
