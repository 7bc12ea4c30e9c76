package dev.ferry.config.model;

/**
 * The control API's address and TLS.
 *
 * @param tlsCert PEM certificate file, or null for plain HTTP (loopback only, or behind a proxy)
 * @param tlsKey PEM private key file, or null
 */
public record ApiConfig(String listen, String tlsCert, String tlsKey) {

  public static final String DEFAULT_LISTEN = "127.0.0.1:8080";

  public static ApiConfig defaults() {
    return new ApiConfig(DEFAULT_LISTEN, null, null);
  }
}
