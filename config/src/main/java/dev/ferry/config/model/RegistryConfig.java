package dev.ferry.config.model;

import dev.ferry.common.transport.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A registry, or an OCI layout directory ({@code url: oci:/path}) for air-gapped transfer.
 *
 * @param requestsPerSecond null when unlimited
 * @param maxConcurrency null when unlimited
 * @param retry never null: the defaults when the file sets none
 * @param circuitBreaker never null
 * @param timeouts never null
 * @param webhook the secret its notifications ({@code POST /v1/events/registry}) carry; null when it sends none
 * @param maxConcurrencyPerRepository how many jobs may write to one repository of this registry at
 *     once (each on a different tag); null for the coordinator's default
 * @param fallbackUrls endpoints that serve the same content, tried in order when the
 *     primary {@code url} gives no answer; every digest read there is still verified. Empty for none.
 *     They are reached with the registry's {@code tls} and {@code proxy}
 * @param tls never null: how its HTTPS certificate is checked and which client certificate is offered
 * @param proxy its egress proxy URL, {@code direct} for none; null to follow HTTPS_PROXY / HTTP_PROXY
 */
public record RegistryConfig(
        String name,
        String url,
        String region,
        boolean insecure,
        CredentialsConfig credentials,
        Integer requestsPerSecond,
        Integer maxConcurrency,
        RetryConfig retry,
        CircuitBreakerConfig circuitBreaker,
        TimeoutsConfig timeouts,
        WebhookConfig webhook,
        Integer maxConcurrencyPerRepository,
        List<String> fallbackUrls,
        TlsSettings tls,
        String proxy) {

    public RegistryConfig {
        fallbackUrls = fallbackUrls == null ? List.of() : List.copyOf(fallbackUrls);
        tls = tls != null ? tls : TlsSettings.DEFAULT;
        retry = retry != null ? retry : RetryConfig.defaults();
        circuitBreaker = circuitBreaker != null ? circuitBreaker : CircuitBreakerConfig.defaults();
        timeouts = timeouts != null ? timeouts : TimeoutsConfig.defaults();
    }

    /** A registry without fallback endpoints, with the default TLS settings and the environment's proxy. */
    public RegistryConfig(
            String name,
            String url,
            String region,
            boolean insecure,
            CredentialsConfig credentials,
            Integer requestsPerSecond,
            Integer maxConcurrency,
            RetryConfig retry,
            CircuitBreakerConfig circuitBreaker,
            TimeoutsConfig timeouts,
            WebhookConfig webhook,
            Integer maxConcurrencyPerRepository) {
        this(
                name,
                url,
                region,
                insecure,
                credentials,
                requestsPerSecond,
                maxConcurrency,
                retry,
                circuitBreaker,
                timeouts,
                webhook,
                maxConcurrencyPerRepository,
                List.of(),
                null,
                null);
    }

    /** The primary URL, then the fallbacks, in the order they are tried. */
    public List<String> urls() {
        List<String> all = new java.util.ArrayList<>();
        all.add(url);
        all.addAll(fallbackUrls);
        return all;
    }

    /** A registry that leaves the per-repository job cap to the coordinator's default. */
    public RegistryConfig(
            String name,
            String url,
            String region,
            boolean insecure,
            CredentialsConfig credentials,
            Integer requestsPerSecond,
            Integer maxConcurrency,
            RetryConfig retry,
            CircuitBreakerConfig circuitBreaker,
            TimeoutsConfig timeouts,
            WebhookConfig webhook) {
        this(
                name,
                url,
                region,
                insecure,
                credentials,
                requestsPerSecond,
                maxConcurrency,
                retry,
                circuitBreaker,
                timeouts,
                webhook,
                null);
    }

    /** A registry that sends no notifications. */
    public RegistryConfig(
            String name,
            String url,
            String region,
            boolean insecure,
            CredentialsConfig credentials,
            Integer requestsPerSecond,
            Integer maxConcurrency,
            RetryConfig retry,
            CircuitBreakerConfig circuitBreaker,
            TimeoutsConfig timeouts) {
        this(
                name,
                url,
                region,
                insecure,
                credentials,
                requestsPerSecond,
                maxConcurrency,
                retry,
                circuitBreaker,
                timeouts,
                null);
    }

    /** A registry with the default retry, circuit breaker and timeouts. */
    public RegistryConfig(
            String name,
            String url,
            String region,
            boolean insecure,
            CredentialsConfig credentials,
            Integer requestsPerSecond,
            Integer maxConcurrency) {
        this(name, url, region, insecure, credentials, requestsPerSecond, maxConcurrency, null, null, null, null);
    }

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
