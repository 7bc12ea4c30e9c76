package dev.ferry.coordinator.plan;

import dev.ferry.common.image.ImageStore;
import dev.ferry.common.layout.OciLayoutStore;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens, once each, the stores of a schedule's registries: a {@link RegistryClient} for
 * {@code https://} and {@code http://} registries, all on one shared HTTP client, and an
 * {@link OciLayoutStore} for {@code oci:} directories.
 *
 * <p>Credentials are resolved when a registry's store is first asked for, on a worker thread
 * (a secret may be a file), and then kept: a rotated secret is picked up by a new instance,
 * built when the schedule is reloaded. A store that failed to open (a missing secret) is not
 * cached, so the next call tries again.
 */
public final class RegistryStores implements RegistryAccess {

  private volatile java.util.function.Function<String, dev.ferry.common.transport.RequestObserver> observers =
      name -> dev.ferry.common.transport.RequestObserver.NONE;

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
  private volatile boolean closed;

  /** With an HTTP client of its own, closed by {@link #close()}. */
  public RegistryStores(Vertx vertx, Schedule schedule, SecretResolver secrets) {
    this(vertx, schedule, secrets, RegistryClient.newHttpClient(vertx, CONNECTIONS_PER_HOST), true,
        RegistryClientOptions.defaults(), Clock.systemUTC());
  }

  /** With a caller's HTTP client, which {@link #close()} leaves open. */
  public RegistryStores(Vertx vertx, Schedule schedule, SecretResolver secrets, HttpClientAgent http,
      RegistryClientOptions options, Clock clock) {
    this(vertx, schedule, secrets, http, false, options, clock);
  }

  private RegistryStores(Vertx vertx, Schedule schedule, SecretResolver secrets, HttpClientAgent http,
      boolean ownsHttp, RegistryClientOptions options, Clock clock) {
    this.vertx = vertx;
    this.schedule = schedule;
    this.secrets = secrets;
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.options = options;
    this.clock = clock;
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

  @Override
  public Future<List<String>> catalog(String registry) {
    return store(registry).compose(store -> store instanceof RegistryClient client
        ? client.catalog()
        : Future.succeededFuture(List.of("")));
  }

  private Future<ImageStore> open(RegistryConfig config) {
    if (config.isLayout()) {
      return Future.succeededFuture(new OciLayoutStore(vertx, config.layoutDirectory()));
    }
    return credentials(config).map(credentials -> new RegistryClient(http,
        new RegistryEndpoint(config.host(), config.plainHttp()), credentials, options, clock)
        .observe(observers.apply(config.name())));
  }

  /** Tells {@code byRegistry}'s observer of every request to each registry (metrics). Set before first use. */
  public void observers(java.util.function.Function<String, dev.ferry.common.transport.RequestObserver> byRegistry) {
    this.observers = byRegistry;
  }

  private Future<Credentials> credentials(RegistryConfig config) {
    if (config.credentials() == null) {
      return Future.succeededFuture(Credentials.anonymous());
    }
    return vertx.executeBlocking(() -> secrets.resolve(config.name(), config.credentials()), false);
  }

  /** Refuses further stores; closes the HTTP client if this instance made it. */
  public Future<Void> close() {
    closed = true;
    stores.clear();
    return ownsHttp ? http.close() : Future.succeededFuture();
  }
}
