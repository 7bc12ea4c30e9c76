package dev.ferry.config.model;

/**
 * Where a policy writes: a registry, and a prefix put in front of each repository name
 * ({@code prefix: mirror/} writes {@code team/app} as {@code mirror/team/app}).
 *
 * @param ttl for a pre-warming policy: tags Ferry wrote here go once nobody pulled them for this
 *     long; null keeps them
 */
public record TargetSpec(String registry, String prefix, java.time.Duration ttl) {

  public TargetSpec(String registry, String prefix) {
    this(registry, prefix, null);
  }

  public String repositoryFor(String sourceRepository) {
    return prefix + sourceRepository;
  }
}
