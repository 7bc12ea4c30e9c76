package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.Connection;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.EgressProxy;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.TlsSettings;
import dev.ferry.testing.RegistryOptions;
import dev.ferry.testing.RegistryProcess;
import dev.ferry.testing.TempDirectory;
import dev.ferry.testing.TestCa;
import dev.ferry.testing.Tinyproxy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registry traffic through a real egress proxy (tinyproxy on loopback), chosen by a
 * registry's {@code proxy:} or by HTTPS_PROXY / HTTP_PROXY / NO_PROXY; the proxy's own log
 * proves which requests went through it.
 */
@ExtendWith(VertxExtension.class)
class EgressProxyIT {

    private static Path dir;
    private static TestCa ca;
    private static RegistryProcess https;
    private static RegistryProcess plain;

    private Tinyproxy proxy;
    private HttpClientAgent http;

    @BeforeAll
    static void startRegistries() {
        dir = TempDirectory.create("ferry-proxy-");
        ca = TestCa.create(dir, "proxy-test");
        https = RegistryProcess.start(RegistryOptions.defaults().withTls(ca.server("server"), null));
        plain = RegistryProcess.plain();
    }

    @AfterAll
    static void stopRegistries() {
        https.close();
        plain.close();
        TempDirectory.deleteRecursively(dir);
    }

    @BeforeEach
    void setUp(Vertx vertx) {
        proxy = Tinyproxy.start();
        http = RegistryClient.newHttpClient(vertx, 4);
    }

    @AfterEach
    void tearDown() {
        http.close();
        proxy.close();
    }

    private RegistryClient client(RegistryProcess registry, EgressProxy proxies, String configured) throws Exception {
        TlsSettings tls = registry.isTls() ? new TlsSettings(ca.caFile().toString(), null, null, true) : null;
        Connection c =
                new Connections(proxies, Clock.systemUTC()).open(tls, configured, registry.host(), !registry.isTls());
        return new RegistryClient(
                http,
                new RegistryEndpoint(registry.host(), !registry.isTls(), c),
                Credentials.anonymous(),
                RegistryClientOptions.defaults(),
                Clock.systemUTC());
    }

    @Test
    void aRegistrysOwnProxyCarriesItsHttpsTrafficThroughConnect() throws Exception {
        RegistryClient c = client(https, EgressProxy.none(), proxy.url());
        byte[] bytes = "through the proxy".getBytes(StandardCharsets.UTF_8);
        Descriptor blob = Descriptor.of("application/octet-stream", Digest.sha256(bytes), bytes.length);

        await(c.putBlob("proxied/app", blob, new BufferStream(Buffer.buffer(bytes))));

        assertThat(await(c.hasBlob("proxied/app", blob.digest()))).isTrue();
        assertThat(proxy.requests()).isNotEmpty().allMatch(r -> r.equals("CONNECT " + https.host()));
        assertThat(https.countRequests("PUT", "/v2/proxied/app/blobs/uploads/.*"))
                .isEqualTo(1);
    }

    @Test
    void httpProxyFromTheEnvironmentCarriesPlainHttpIncludingLoopback() throws Exception {
        RegistryClient c = client(plain, new EgressProxy(Map.of("HTTP_PROXY", proxy.url())), null);

        await(c.ping());

        assertThat(proxy.requests()).contains("GET http://" + plain.host() + "/v2/");
    }

    @Test
    void httpsProxyFromTheEnvironmentIsUsedForHttpsRegistries() throws Exception {
        RegistryClient c = client(
                https, new EgressProxy(Map.of("https_proxy", proxy.url(), "HTTP_PROXY", "http://127.0.0.1:1")), null);

        await(c.ping());

        assertThat(proxy.requests()).containsExactly("CONNECT " + https.host());
    }

    @Test
    void noProxyNamingTheHostOrProxyDirectBypassesTheProxy() throws Exception {
        Map<String, String> env = Map.of("HTTPS_PROXY", proxy.url(), "NO_PROXY", "example.com, 127.0.0.1");
        RegistryClient excluded = client(https, new EgressProxy(env), null);
        RegistryClient direct = client(https, new EgressProxy(Map.of("HTTPS_PROXY", proxy.url())), EgressProxy.DIRECT);
        https.clearLog();

        await(excluded.ping());
        await(direct.ping());

        assertThat(https.awaitRequests("GET", "/v2/", 2)).hasSize(2);
        assertThat(proxy.requests()).isEmpty();
    }
}
