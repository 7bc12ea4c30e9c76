package dev.ferry.coordinator.plan;

import dev.ferry.common.dockerconfig.DockerConfigSources;
import dev.ferry.common.image.FallbackStore;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.layout.OciLayoutStore;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Connection;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.CredentialSource;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.EgressProxy;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RequestObserver;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.TimeoutsConfig;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.worker.resilience.RegistryGuards;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Opens, once each, the stores of a schedule's registries: a {@link RegistryClient} for
 * {@code https://} and {@code http://} registries, all on one shared HTTP client, and an
 * {@link OciLayoutStore} for {@code oci:} directories.
 *
 * <p>Each registry's requests go through a {@link RegistryGuards} guard built from the
 * registry's {@code retry}, {@code circuitBreaker} and rate settings in the schedule, the same
 * mechanism a worker uses: a temporary error is retried with backoff, honouring
 * {@code Retry-After}. Its clients use the registry's {@code timeouts}.
 *
 * <p>Credentials are resolved when a registry's store is first asked for, on a worker thread
 * (a secret may be a file), and then kept: a rotated secret is picked up by a new instance,
 * built when the schedule is reloaded. A store that failed to open (a missing secret) is not
 * cached, so the next call tries again.
 */
public final class RegistryStores implements RegistryAccess {

    private final Function<String, RequestObserver> observers;

    /** Connections per registry host: above the planner's calls in flight per registry. */
    public static final int CONNECTIONS_PER_HOST = 16;

    private final Vertx vertx;
    private final Schedule schedule;
    private final SecretResolver secrets;
    private final HttpClientAgent http;
    private final boolean ownsHttp;
    private final RegistryClientOptions options;
    private final Clock clock;
    private final Map<String, Future<ImageStore>> stores = new ConcurrentHashMap<>();
    private final Map<String, Future<RegistryClient>> clients = new ConcurrentHashMap<>();
    private final Map<String, Future<ImageStore>> sourceStores = new ConcurrentHashMap<>();
    private final RegistryGuards guards;
    private final Connections connections;
    private volatile boolean closed;

    /**
     * With an HTTP client of its own, closed by {@link #close()}.
     *
     * @param observers the observer of every request to each registry, by registry name (metrics)
     */
    public RegistryStores(
            Vertx vertx, Schedule schedule, SecretResolver secrets, Function<String, RequestObserver> observers) {
        this(
                vertx,
                schedule,
                secrets,
                RegistryClient.newHttpClient(vertx, CONNECTIONS_PER_HOST),
                true,
                RegistryClientOptions.defaults(),
                Clock.systemUTC(),
                observers);
    }

    /** With a caller's HTTP client, which {@link #close()} leaves open. */
    public RegistryStores(
            Vertx vertx,
            Schedule schedule,
            SecretResolver secrets,
            HttpClientAgent http,
            RegistryClientOptions options,
            Clock clock) {
        this(vertx, schedule, secrets, http, false, options, clock, name -> RequestObserver.NONE);
    }

    private RegistryStores(
            Vertx vertx,
            Schedule schedule,
            SecretResolver secrets,
            HttpClientAgent http,
            boolean ownsHttp,
            RegistryClientOptions options,
            Clock clock,
            Function<String, RequestObserver> observers) {
        this.observers = observers;
        this.vertx = vertx;
        this.schedule = schedule;
        this.secrets = secrets;
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.options = options;
        this.clock = clock;
        this.guards =
                new RegistryGuards(vertx, clock, RandomGenerator.of("L64X128MixRandom"), new CompositeMeterRegistry());
        this.connections = new Connections(EgressProxy.fromEnvironment(), clock);
    }

    @Override
    public Future<ImageStore> store(String registry) {
        if (closed) {
            return Future.failedFuture(new IllegalStateException("registry stores are closed"));
        }
        RegistryConfig config = schedule.registry(registry).orElse(null);
        if (config == null) {
            return Future.failedFuture(new IllegalArgumentException("unknown registry \"" + registry + "\""));
        }
        Future<ImageStore> store = stores.computeIfAbsent(registry, name -> open(config));
        store.onFailure(e -> stores.remove(registry, store));
        return store;
    }

    /** With the registry's fallback endpoints, when it lists any; else the same as {@link #store}. */
    @Override
    public Future<ImageStore> sourceStore(String registry) {
        RegistryConfig config = schedule.registry(registry).orElse(null);
        if (config == null || config.fallbackUrls().isEmpty()) {
            return store(registry);
        }
        if (closed) {
            return Future.failedFuture(new IllegalStateException("registry stores are closed"));
        }
        Future<ImageStore> store = sourceStores.computeIfAbsent(
                registry,
                name -> endpoints(config)
                        .map(all -> guards.decorate(name, JobSpecs.limits(config), new FallbackStore(all))));
        store.onFailure(e -> sourceStores.remove(registry, store));
        return store;
    }

    /** A client per URL of the registry, primary first, each with the registry's credentials. */
    private Future<List<FallbackStore.Endpoint>> endpoints(RegistryConfig config) {
        List<String> urls = config.urls();
        return credentials(config)
                .compose(credentials -> connections(config, urls).map(connected -> {
                    List<FallbackStore.Endpoint> all = new java.util.ArrayList<>();
                    for (int i = 0; i < urls.size(); i++) {
                        RegistryEndpoint endpoint = new RegistryEndpoint(
                                RegistryConnections.host(urls.get(i)),
                                urls.get(i).startsWith("http://"),
                                connected.get(i));
                        all.add(new FallbackStore.Endpoint(
                                urls.get(i),
                                new RegistryClient(http, endpoint, credentials, optionsFor(config), clock)
                                        .observe(observers.apply(config.name()))));
                    }
                    return all;
                }));
    }

    @Override
    public Future<List<String>> catalog(String registry) {
        RegistryConfig config = schedule.registry(registry).orElse(null);
        if (config == null || config.isLayout()) {
            return store(registry).map(List.of(""));
        }
        if (closed) {
            return Future.failedFuture(new IllegalStateException("registry stores are closed"));
        }
        if (!config.fallbackUrls().isEmpty()) {
            return endpoints(config)
                    .compose(all ->
                            guards.guard(registry, JobSpecs.limits(config)).call(() -> catalogFrom(all, 0)));
        }
        return client(config)
                .compose(client ->
                        guards.guard(registry, JobSpecs.limits(config)).call(client::catalog));
    }

    /** The catalog from the first endpoint that answers, as {@link FallbackStore} reads. */
    private static Future<List<String>> catalogFrom(List<FallbackStore.Endpoint> endpoints, int i) {
        RegistryClient client = (RegistryClient) endpoints.get(i).store();
        return client.catalog()
                .recover(e -> e instanceof dev.ferry.common.transport.RegistryException re
                                && re.gaveNoResponse()
                                && i + 1 < endpoints.size()
                        ? catalogFrom(endpoints, i + 1)
                        : Future.failedFuture(e));
    }

    private Future<ImageStore> open(RegistryConfig config) {
        if (config.isLayout()) {
            return Future.succeededFuture(new OciLayoutStore(vertx, config.layoutDirectory()));
        }
        return client(config).map(client -> guards.decorate(config.name(), JobSpecs.limits(config), client));
    }

    private Future<RegistryClient> client(RegistryConfig config) {
        Future<RegistryClient> client = clients.computeIfAbsent(
                config.name(),
                name -> credentials(config)
                        .compose(credentials -> connections(config, List.of(config.url()))
                                .map(connected -> new RegistryClient(
                                                http,
                                                new RegistryEndpoint(
                                                        config.host(), config.plainHttp(), connected.get(0)),
                                                credentials,
                                                optionsFor(config),
                                                clock)
                                        .observe(observers.apply(config.name())))));
        client.onFailure(e -> clients.remove(config.name(), client));
        return client;
    }

    private RegistryClientOptions optionsFor(RegistryConfig config) {
        TimeoutsConfig t = config.timeouts();
        return options.withTimeouts(t.connect(), t.firstByte(), t.idle());
    }

    private Future<CredentialSource> credentials(RegistryConfig config) {
        if (config.credentials() == null) {
            return Future.succeededFuture(CredentialSource.fixed(Credentials.anonymous()));
        }
        if (config.credentials().dockerConfig() != null) {
            return Future.succeededFuture(DockerConfigSources.of(
                    vertx,
                    config.name(),
                    config.host(),
                    config.credentials().dockerConfig(),
                    config.credentials().refreshAfter(),
                    clock));
        }
        return vertx.executeBlocking(
                () -> CredentialSource.fixed(secrets.resolve(config.name(), config.credentials())), false);
    }

    /**
     * The registry's {@link Connection} (its tls: and proxy:) for each URL, in order; reads the
     * TLS files on a worker thread. Fallback URLs get the same TLS settings and proxy as the primary.
     */
    private Future<List<Connection>> connections(RegistryConfig config, List<String> urls) {
        return vertx.executeBlocking(
                () -> urls.stream()
                        .map(url -> RegistryConnections.open(connections, config, url))
                        .toList(),
                false);
    }

    /** Refuses further stores; closes the HTTP client if this instance made it. */
    public Future<Void> close() {
        closed = true;
        stores.clear();
        clients.clear();
        sourceStores.clear();
        return ownsHttp ? http.close() : Future.succeededFuture();
    }
}
