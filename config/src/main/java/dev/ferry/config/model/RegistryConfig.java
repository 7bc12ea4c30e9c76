package dev.ferry.config.model;

import java.net.URI;
import java.nio.file.Path;

/**
 * A registry, or an OCI layout directory ({@code url: oci:/path}) for air-gapped transfer.
 *
 * @param requestsPerSecond null when unlimited
 * @param maxConcurrency null when unlimited
 */
public record RegistryConfig(String name, String url, String region, boolean insecure,
    CredentialsConfig credentials, Integer requestsPerSecond, Integer maxConcurrency) {

  public boolean isLayout() {
    return url.startsWith("oci:");
  }

  /** host[:port] of a registry URL. */
  public String host() {
    URI u = URI.create(url);
    return u.getPort() > 0 ? u.getHost() + ":" + u.getPort() : u.getHost();
  }

  public boolean plainHttp() {
    return url.startsWith("http://");
  }

  /** The directory of an {@code oci:} registry. */
  public Path layoutDirectory() {
    return Path.of(url.substring("oci:".length()));
  }
}
