package dev.ferry.config.model;

/**
 * Where a policy writes: a registry, and a prefix put in front of each repository name
 * ({@code prefix: mirror/} writes {@code team/app} as {@code mirror/team/app}).
 */
public record TargetSpec(String registry, String prefix) {

  public String repositoryFor(String sourceRepository) {
    return prefix + sourceRepository;
  }
}
