package dev.ferry.worker.lease;

import dev.ferry.common.dockerconfig.DockerConfigSources;
import dev.ferry.common.image.FallbackStore;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.layout.OciLayoutStore;
import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.manifest.Platform;
import dev.ferry.common.mediatype.ArtifactFilter;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.signature.CosignKey;
import dev.ferry.common.signature.KeyFormatException;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.CredentialSource;
import dev.ferry.common.transport.EgressProxy;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RequestObserver;
import dev.ferry.common.transport.TlsMaterialException;
import dev.ferry.worker.copy.CopyOptions;
import dev.ferry.worker.copy.ImageLocation;
import dev.ferry.worker.resilience.RegistryGuards;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Opens the two sides of a leased job: {@code https://} and {@code http://} endpoints as
 * registry clients (plain HTTP for http), {@code oci:/dir} as an OCI layout directory. The
 * registry name is the {@code registryId}, so blobs learned in one job can be mounted in the
 * next. Resolves credentials references, which may read files: call it off the event loop.
 *
 * <p>Over 300 lines because it turns a lease's endpoints into open stores, and each part of an endpoint (credentials and Docker configs, TLS and proxy connection, fallbacks, limits, guards) is one short step of that; splitting them would pass half-built endpoints between classes.
 */
final class JobLocations {

    /** Per registry name, who is told of that registry's requests (metrics). */
    private final Function<String, RequestObserver> observers;
    /** Null only in tests of opening alone: stores are then not guarded. */
    private final RegistryGuards guards;

    /**
     * Both sides of a job and how to copy it.
     *
     * @param sourceFallbacks the source's endpoints when it has fallbacks, to ask which one served; else null
     */
    record Opened(ImageLocation source, ImageLocation target, CopyOptions options, FallbackStore sourceFallbacks) {

        /** The URL of the source fallback that served reads, or null when the primary did. */
        String sourceServedBy() {
            return sourceFallbacks == null ? null : sourceFallbacks.servedBy();
        }
    }

    private final Vertx vertx;
    private final HttpClientAgent http;
    private final CredentialsResolver credentials;
    private final RegistryClientOptions clientOptions;
    private final int blobConcurrency;
    private final Clock clock;
    private final UnaryOperator<ImageStore> decorator;
    private final Clients clients = new Clients(256);
    private final Connections connections;

    /** What makes two jobs' clients of a registry interchangeable. */
    private record ClientKey(
            String name, RegistryEndpoint endpoint, CredentialSource credentials, RegistryClientOptions options) {}

    /** What makes two jobs' Docker config credentials the same source (and so one helper cache). */
    private record DockerKey(String name, String host, String file, Long refreshAfterMillis) {}

    private static final int MAX_DOCKER_SOURCES = 256;

    /** One source per registry and Docker config, so a helper runs once per refresh, not once per job. */
    private final Map<DockerKey, CredentialSource> dockerSources = new ConcurrentHashMap<>();

    /**
     * The registry clients of recent jobs, kept so that the next job to the same registry with
     * the same credentials reuses what its client learned: the auth scheme (no {@code GET /v2/}
     * per job) and bearer tokens until they expire. New credentials (a rotated secret file) make
     * a new key and so a new client. The least recently used are dropped beyond {@code max}.
     */
    private final class Clients extends LinkedHashMap<ClientKey, RegistryClient> {
        private final int max;

        Clients(int max) {
            super(16, 0.75f, true);
            this.max = max;
        }

        synchronized RegistryClient clientFor(ClientKey key) {
            return computeIfAbsent(
                    key,
                    k -> new RegistryClient(http, k.endpoint(), k.credentials(), k.options(), clock)
                            .observe(observers.apply(k.name())));
        }

        @Override
        protected boolean removeEldestEntry(Entry<ClientKey, RegistryClient> eldest) {
            return size() > max;
        }
    }

    /**
     * @param decorator wraps every opened store; the identity in production, a probe in tests
     * @param guards every registry store's requests go through that registry's retry, breaker and caps
     * @param observers per registry name, who is told of that registry's requests (metrics)
     */
    JobLocations(
            Vertx vertx,
            HttpClientAgent http,
            CredentialsResolver credentials,
            RegistryClientOptions clientOptions,
            int blobConcurrency,
            Clock clock,
            UnaryOperator<ImageStore> decorator,
            RegistryGuards guards,
            Function<String, RequestObserver> observers) {
        this.guards = guards;
        this.observers = Objects.requireNonNull(observers, "observers");
        this.vertx = vertx;
        this.http = http;
        this.credentials = credentials;
        this.clientOptions = clientOptions;
        this.blobConcurrency = blobConcurrency;
        this.clock = clock;
        this.decorator = decorator;
        this.connections = new Connections(EgressProxy.fromEnvironment(), clock);
    }

    Opened open(JobSpec job) {
        if (job == null || job.source() == null || job.target() == null) {
            throw new InvalidJobException("the lease carries no job, or a job without source or target");
        }
        FallbackStore[] fallbacks = new FallbackStore[1];
        ImageLocation source = location("source", job.source(), fallbacks);
        return new Opened(
                source,
                location("target", job.target(), new FallbackStore[1]),
                new CopyOptions(platforms(job.platforms()), blobConcurrency)
                        .withReferrers(job.referrers())
                        .withSignatureKeys(keys(job.cosignKeys()))
                        .withReferrerFilter(referrerFilter(job)),
                fallbacks[0]);
    }

    /** The kinds of referrer that travel; an entry this worker does not know makes the job invalid. */
    private static ArtifactFilter referrerFilter(JobSpec job) {
        try {
            return ArtifactFilter.of(job.referrerInclude(), job.referrerExclude());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("the job's referrer filter: " + e.getMessage());
        }
    }

    /** The policy's public keys; a key this worker cannot use makes the job invalid, never unchecked. */
    private static List<CosignKey> keys(List<String> pems) {
        List<CosignKey> keys = new ArrayList<>();
        for (int i = 0; i < pems.size(); i++) {
            try {
                keys.add(CosignKey.fromPem(pems.get(i)));
            } catch (KeyFormatException e) {
                throw new InvalidJobException("cosign key " + (i + 1) + " of the job " + e.getMessage());
            }
        }
        return keys;
    }

    /** @param fallbacks receives the store over the endpoint's URLs, when it lists fallbacks */
    private ImageLocation location(String side, Endpoint endpoint, FallbackStore[] fallbacks) {
        String url = endpoint.url();
        if (url == null || url.isBlank()) {
            throw new InvalidJobException(side + " " + endpoint.registry() + " has no URL");
        }
        String reference = endpoint.reference();
        if (reference == null || reference.isBlank()) {
            throw new InvalidJobException(side + " " + endpoint.registry() + " names no tag or digest");
        }
        if (url.startsWith("oci:")) {
            Path dir = Path.of(url.substring("oci:".length())).toAbsolutePath().normalize();
            String id = endpoint.registry() != null ? endpoint.registry() : "oci:" + dir;
            String repository = endpoint.repository() != null ? endpoint.repository() : "";
            return new ImageLocation(decorator.apply(new OciLayoutStore(vertx, dir)), id, repository, reference);
        }
        RegistryEndpoint plain = registryEndpoint(side, url);
        if (endpoint.repository() == null || endpoint.repository().isBlank()) {
            throw new InvalidJobException(side + " " + url + " names no repository");
        }
        String name = endpoint.registry() != null ? endpoint.registry() : plain.host();
        RegistryEndpoint registry = connected(side, name, endpoint, plain);
        CredentialSource creds = credentials(name, registry, endpoint.credentials());
        ImageStore client = clients.clientFor(new ClientKey(name, registry, creds, options(endpoint)));
        if (!endpoint.fallbackUrls().isEmpty()) {
            // Each endpoint its own client (auth learned per host); the guard sees them as one registry.
            // A fallback is reached with the registry's tls and proxy like the primary.
            List<FallbackStore.Endpoint> all = new ArrayList<>(List.of(new FallbackStore.Endpoint(url, client)));
            for (String fallback : endpoint.fallbackUrls()) {
                RegistryEndpoint other =
                        connected(side + " fallback", name, endpoint, registryEndpoint(side + " fallback", fallback));
                all.add(new FallbackStore.Endpoint(
                        fallback, clients.clientFor(new ClientKey(name, other, creds, options(endpoint)))));
            }
            fallbacks[0] = new FallbackStore(all);
            client = fallbacks[0];
        }
        ImageStore store = guards == null ? client : guards.decorate(name, endpoint.limits(), client);
        return new ImageLocation(decorator.apply(store), name, endpoint.repository(), reference);
    }

    private CredentialSource credentials(String name, RegistryEndpoint registry, CredentialsRef ref) {
        if (ref == null || ref.dockerConfig() == null) {
            return CredentialSource.fixed(credentials.resolve(name, ref));
        }
        if (dockerSources.size() >= MAX_DOCKER_SOURCES) {
            dockerSources.clear(); // bounded like the clients: a schedule names few registries
        }
        return dockerSources.computeIfAbsent(
                new DockerKey(name, registry.host(), ref.dockerConfig(), ref.refreshAfterMillis()),
                k -> DockerConfigSources.of(
                        vertx,
                        k.name(),
                        k.host(),
                        k.file(),
                        k.refreshAfterMillis() == null ? null : Duration.ofMillis(k.refreshAfterMillis()),
                        clock));
    }

    /** {@code plain} with the registry's TLS files (read once per worker) and egress proxy. */
    private RegistryEndpoint connected(String side, String name, Endpoint endpoint, RegistryEndpoint plain) {
        try {
            return new RegistryEndpoint(
                    plain.host(),
                    plain.plainHttp(),
                    connections.open(endpoint.tls(), endpoint.proxy(), plain.host(), plain.plainHttp()));
        } catch (TlsMaterialException e) {
            throw new InvalidJobException(side + " registry " + name + " tls." + e.field() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(side + " registry " + name + " proxy: " + e.getMessage());
        }
    }

    /** The worker's client options, with the registry's own timeouts when the lease names them. */
    RegistryClientOptions options(Endpoint endpoint) {
        if (endpoint.limits() == null || endpoint.limits().timeouts() == null) {
            return clientOptions;
        }
        var t = endpoint.limits().timeouts();
        return clientOptions.withTimeouts(
                Duration.ofMillis(t.connectMillis()),
                Duration.ofMillis(t.firstByteMillis()),
                Duration.ofMillis(t.idleMillis()));
    }

    private static RegistryEndpoint registryEndpoint(String side, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidJobException(side + " URL \"" + url + "\" is invalid: " + e.getReason());
        }
        String scheme = uri.getScheme();
        boolean plain = "http".equalsIgnoreCase(scheme);
        if (!plain && !"https".equalsIgnoreCase(scheme)) {
            throw new InvalidJobException(side + " URL \"" + url + "\" must start with https://, http:// or oci:");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getHost() == null
                || uri.getRawUserInfo() != null
                || !(path.isEmpty() || path.equals("/"))
                || uri.getRawQuery() != null) {
            throw new InvalidJobException(
                    side + " URL \"" + url + "\" must be a registry root, like https://HOST[:PORT]");
        }
        return new RegistryEndpoint(uri.getRawAuthority(), plain);
    }

    private static List<Platform> platforms(List<String> wanted) {
        List<Platform> out = new ArrayList<>();
        if (wanted != null) {
            for (String p : wanted) {
                try {
                    out.add(Platform.parse(p));
                } catch (IllegalArgumentException e) {
                    throw new InvalidJobException(e.getMessage());
                }
            }
        }
        return out;
    }
}
