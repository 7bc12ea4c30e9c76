package dev.ferry.common.registry;

import java.time.Duration;

/**
 * Tuning for one registry client.
 *
 * @param monolithicMax blobs up to this size go in one PUT; larger ones in PATCH chunks
 * @param chunkSize bytes per PATCH; each chunk boundary is a point an upload can resume from
 * @param idleTimeout how long a request may see no bytes before it is failed
 * @param pageSize entries asked for per page of tag and catalog listings
 */
public record RegistryClientOptions(long monolithicMax, long chunkSize, Duration idleTimeout, int pageSize) {

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
    return new RegistryClientOptions(chunkSize, chunkSize, Duration.ofSeconds(120), 1000);
  }

  public RegistryClientOptions withPageSize(int size) {
    return new RegistryClientOptions(monolithicMax, chunkSize, idleTimeout, size);
  }

  public RegistryClientOptions {
    if (chunkSize <= 0 || monolithicMax < 0 || pageSize <= 0) {
      throw new IllegalArgumentException("chunkSize and pageSize must be positive, monolithicMax not negative");
    }
  }
}
