package dev.ferry.common.registry;

import java.time.Duration;

/**
 * Tuning for one registry client.
 *
 * @param monolithicMax blobs up to this size go in one PUT; larger ones in PATCH chunks
 * @param chunkSize bytes per PATCH; each chunk boundary is a point an upload can resume from
 * @param idleTimeout how long a request may see no bytes before it is failed
 */
public record RegistryClientOptions(long monolithicMax, long chunkSize, Duration idleTimeout) {

  public static final long MiB = 1024L * 1024;

  /**
   * 64 MiB chunks: few enough round trips that chunking costs little on distribution, and
   * under the 100 MB request limit common in front of registries (proxies, CDNs).
   */
  public static RegistryClientOptions defaults() {
    return withChunkSize(64 * MiB);
  }

  /** Blobs up to {@code chunkSize} go in one PUT, larger ones in PATCHes of that size. */
  public static RegistryClientOptions withChunkSize(long chunkSize) {
    return new RegistryClientOptions(chunkSize, chunkSize, Duration.ofSeconds(120));
  }

  public RegistryClientOptions {
    if (chunkSize <= 0 || monolithicMax < 0) {
      throw new IllegalArgumentException("chunkSize must be positive and monolithicMax not negative");
    }
  }
}
