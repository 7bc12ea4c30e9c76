package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which repository of which target registry is known to hold a blob, learned from earlier
 * copies in this process. A later copy into another repository of the same registry can
 * then mount the blob instead of uploading it. Bounded: it forgets once full.
 */
public final class KnownBlobs {

  private final int capacity;
  private final Map<String, String> repoByRegistryAndDigest = new ConcurrentHashMap<>();

  public KnownBlobs(int capacity) {
    this.capacity = capacity;
  }

  void remember(String registryId, Digest digest, String repository) {
    if (repoByRegistryAndDigest.size() >= capacity) {
      repoByRegistryAndDigest.clear();
    }
    repoByRegistryAndDigest.put(registryId + "|" + digest, repository);
  }

  Optional<String> repositoryHolding(String registryId, Digest digest) {
    return Optional.ofNullable(repoByRegistryAndDigest.get(registryId + "|" + digest));
  }
}
