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

  public static RegistryClientOptions defaults() {
    return new RegistryClientOptions(64 * MiB, 32 * MiB, Duration.ofSeconds(120));
  }

  public RegistryClientOptions {
    if (chunkSize <= 0 || monolithicMax < 0) {
      throw new IllegalArgumentException("chunkSize must be positive and monolithicMax not negative");
    }
  }
}
