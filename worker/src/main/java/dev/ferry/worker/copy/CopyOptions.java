package dev.ferry.worker.copy;

import dev.ferry.common.manifest.Platform;
import java.util.List;

/**
 * How to copy.
 *
 * @param platforms the platforms to take from an index; empty means all of them, which
 *     keeps the index byte-identical. A subset produces a new, smaller index.
 * @param blobConcurrency blobs of one image copied at the same time
 */
public record CopyOptions(List<Platform> platforms, int blobConcurrency) {

  public static CopyOptions defaults() {
    return new CopyOptions(List.of(), 4);
  }

  public CopyOptions {
    platforms = List.copyOf(platforms);
    if (blobConcurrency < 1) {
      throw new IllegalArgumentException("blobConcurrency must be at least 1");
    }
  }

  public boolean allPlatforms() {
    return platforms.isEmpty();
  }

  public boolean wants(Platform candidate) {
    return allPlatforms() || platforms.stream().anyMatch(p -> p.matches(candidate));
  }
}
