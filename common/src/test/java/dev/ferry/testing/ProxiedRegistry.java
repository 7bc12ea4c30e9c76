package dev.ferry.testing;

import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real registry behind a fresh {@link FaultProxy} for each test, and registry clients that go
 * through it: the setup of the ITs that make a registry misbehave on demand (stalls, endless
 * pages, a registry that is down) to check the client's bounds and timeouts. Register it as an
 * instance field after the static {@link RegistryExtension} it fronts:
 *
 * <pre>{@code
 * @RegisterExtension static RegistryExtension registry = RegistryExtension.plain();
 * @RegisterExtension final ProxiedRegistry proxied = ProxiedRegistry.in(registry);
 * }</pre>
 *
 * <p>The clients run on a Vert.x instance of their own, closed after each test with the proxy.
 */
public final class ProxiedRegistry implements BeforeEachCallback, AfterEachCallback {

    private final RegistryExtension registry;
    private Vertx vertx;
    private HttpClientAgent http;
    private FaultProxy proxy;

    private ProxiedRegistry(RegistryExtension registry) {
        this.registry = registry;
    }

    public static ProxiedRegistry in(RegistryExtension registry) {
        return new ProxiedRegistry(registry);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        vertx = Vertx.vertx();
        http = RegistryClient.newHttpClient(vertx, 8);
        proxy = FaultProxy.start(registry.host());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        proxy.close();
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** This test's proxy in front of the registry. */
    public FaultProxy proxy() {
        return proxy;
    }

    /** An anonymous client of the registry through the proxy, with {@code options}. */
    public RegistryClient client(RegistryClientOptions options) {
        return client(proxy.hostPort(), options);
    }

    /** An anonymous plain-HTTP client of {@code hostPort} on this test's HTTP client. */
    public RegistryClient client(String hostPort, RegistryClientOptions options) {
        return new RegistryClient(
                http, new RegistryEndpoint(hostPort, true), Credentials.anonymous(), options, Clock.systemUTC());
    }
}
