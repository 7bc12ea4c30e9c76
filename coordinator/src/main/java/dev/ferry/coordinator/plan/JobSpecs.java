package dev.ferry.coordinator.plan;

import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.common.lease.LeaseProtocol.TimeoutLimits;
import dev.ferry.common.transport.TlsSettings;
import dev.ferry.config.model.CircuitBreakerConfig;
import dev.ferry.config.model.CredentialsConfig;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RetryConfig;
import dev.ferry.config.model.TimeoutsConfig;
import java.util.List;

/** Builds what a worker is told to copy. Credentials go as references, never as secrets. */
public final class JobSpecs {

    private JobSpecs() {}

    /** The source by digest, so the worker copies exactly what was planned; the target by tag. */
    static JobSpec of(
            Policy policy,
            String runId,
            RegistryConfig source,
            String sourceRepository,
            String sourceDigest,
            RegistryConfig target,
            String targetRepository,
            String tag) {
        return new JobSpec(
                policy.name(),
                runId,
                policy.tier().yamlName(),
                sourceEndpoint(source, sourceRepository, sourceDigest),
                endpoint(target, targetRepository, tag),
                policy.platforms() == null ? List.of() : List.copyOf(policy.platforms()),
                policy.referrers(),
                policy.verify().cosignKeyPems(),
                policy.referrerKinds() == null
                        ? List.of()
                        : policy.referrerKinds().include(),
                policy.referrerKinds() == null
                        ? List.of()
                        : policy.referrerKinds().exclude());
    }

    /** A side to read from: with the registry's fallback endpoints, which a target never uses. */
    static Endpoint sourceEndpoint(RegistryConfig registry, String repository, String reference) {
        return endpoint(registry, repository, reference, registry.fallbackUrls());
    }

    public static Endpoint endpoint(RegistryConfig registry, String repository, String reference) {
        return endpoint(registry, repository, reference, List.of());
    }

    /** With the registry's tls (none when default) and proxy, which its fallbacks use as well. */
    private static Endpoint endpoint(
            RegistryConfig registry, String repository, String reference, List<String> fallbackUrls) {
        return new Endpoint(
                registry.name(),
                registry.url(),
                repository,
                reference,
                reference(registry.credentials()),
                limits(registry),
                fallbackUrls,
                registry.isLayout() || registry.tls().equals(TlsSettings.DEFAULT) ? null : registry.tls(),
                registry.proxy());
    }

    /**
     * The registry's limits as the schedule sets them; none for an OCI layout directory, which
     * is local. The request rate and concurrency are the registry's totals for now; dividing
     * them among the workers is the lease's business.
     */
    static Limits limits(RegistryConfig registry) {
        if (registry.isLayout()) {
            return null;
        }
        RetryConfig r = registry.retry();
        CircuitBreakerConfig b = registry.circuitBreaker();
        TimeoutsConfig t = registry.timeouts();
        return new Limits(
                registry.requestsPerSecond(),
                registry.maxConcurrency(),
                new RetryLimits(
                        r.maxAttempts(),
                        r.initialBackoff().toMillis(),
                        r.maxBackoff().toMillis()),
                new BreakerLimits(
                        b.failureRateThreshold(), b.minimumCalls(), b.openFor().toMillis()),
                new TimeoutLimits(
                        t.connect().toMillis(),
                        t.firstByte().toMillis(),
                        t.idle().toMillis()));
    }

    static CredentialsRef reference(CredentialsConfig credentials) {
        return credentials == null
                ? null
                : new CredentialsRef(
                        credentials.username(),
                        credentials.passwordEnv(),
                        credentials.passwordFile(),
                        credentials.tokenFile(),
                        credentials.dockerConfig(),
                        credentials.refreshAfter() == null
                                ? null
                                : credentials.refreshAfter().toMillis());
    }
}
