package dev.ferry.coordinator.plan;

import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.config.model.CredentialsConfig;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import java.util.List;

/** Builds what a worker is told to copy. Credentials go as references, never as secrets. */
public final class JobSpecs {

  private JobSpecs() {}

  /** The source by digest, so the worker copies exactly what was planned; the target by tag. */
  static JobSpec of(Policy policy, String runId, RegistryConfig source, String sourceRepository,
      String sourceDigest, RegistryConfig target, String targetRepository, String tag) {
    return new JobSpec(policy.name(), runId, policy.tier().yamlName(),
        endpoint(source, sourceRepository, sourceDigest),
        endpoint(target, targetRepository, tag),
        policy.platforms() == null ? List.of() : List.copyOf(policy.platforms()),
        policy.referrers());
  }

  public static Endpoint endpoint(RegistryConfig registry, String repository, String reference) {
    return new Endpoint(registry.name(), registry.url(), repository, reference, reference(registry.credentials()));
  }

  static CredentialsRef reference(CredentialsConfig credentials) {
    return credentials == null ? null : new CredentialsRef(credentials.username(), credentials.passwordEnv(),
        credentials.passwordFile(), credentials.tokenFile());
  }
}
