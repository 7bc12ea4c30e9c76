package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.EgressProxy;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.common.transport.TlsSettings;
import dev.ferry.testing.RegistryOptions;
import dev.ferry.testing.RegistryProcess;
import dev.ferry.testing.TempDirectory;
import dev.ferry.testing.TestCa;
import dev.ferry.testing.TokenIssuer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry client over HTTPS against real distribution registries serving certificates
 * of a CA the test makes: trusted through {@code caFile}, with and without a required client
 * certificate, and each certificate problem failing closed with its own message.
 */
@ExtendWith(VertxExtension.class)
class RegistryTlsIT {

    private static Path dir;
    private static TestCa ca;
    private static TestCa.Issued client;

    private HttpClientAgent http;

    @BeforeAll
    static void makeCa() {
        dir = TempDirectory.create("ferry-tls-");
        ca = TestCa.create(dir, "ferry-test");
        client = ca.client("client", "ferry-client");
    }

    @AfterAll
    static void removeCa() {
        TempDirectory.deleteRecursively(dir);
    }

    @BeforeEach
    void setUp(Vertx vertx) {
        http = RegistryClient.newHttpClient(vertx, 4);
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    private RegistryClient client(RegistryProcess registry, TlsSettings tls) throws Exception {
        var connection = new Connections(EgressProxy.none(), Clock.systemUTC()).open(tls, null, registry.host(), false);
        return new RegistryClient(
                http,
                new RegistryEndpoint(registry.host(), false, connection),
                Credentials.anonymous(),
                RegistryClientOptions.defaults()
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10)),
                Clock.systemUTC());
    }

    private static RegistryProcess https(TestCa.Issued server, Path clientCa) {
        return RegistryProcess.start(RegistryOptions.defaults().withTls(server, clientCa));
    }

    @Test
    void blobsGoUpAndComeBackOverHttpsWithTheRegistrysCa() throws Exception {
        try (RegistryProcess registry = https(ca.server("server-ok"), null)) {
            RegistryClient c = client(registry, new TlsSettings(ca.caFile().toString(), null, null, true));
            byte[] bytes = "layer over https".getBytes(StandardCharsets.UTF_8);
            Descriptor blob = Descriptor.of("application/octet-stream", Digest.sha256(bytes), bytes.length);

            await(c.putBlob("tls/app", blob, new BufferStream(Buffer.buffer(bytes))));

            assertThat(await(c.hasBlob("tls/app", blob.digest()))).isTrue();
            assertThat(registry.countRequests("PUT", "/v2/tls/app/blobs/uploads/.*"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aCertificateOfAnUnknownCaIsRefusedAndNotRetried() throws Exception {
        try (RegistryProcess registry = https(ca.server("server-unknown"), null)) {
            RegistryClient c = client(registry, TlsSettings.DEFAULT);

            assertThatThrownBy(() -> await(c.ping())).isInstanceOfSatisfying(RegistryException.class, e -> {
                assertThat(e.refusedTls()).isTrue();
                assertThat(e.isTemporary()).isFalse();
                assertThat(e.getMessage())
                        .isEqualTo("ping at https://" + registry.host() + ": TLS certificate refused: the"
                                + " registry's certificate is not signed by a trusted CA (unknown CA); give the registry's CA bundle in"
                                + " tls.caFile (issuer CN=ferry-test)");
            });
            assertThat(registry.countRequests("GET", "/v2/")).isZero();
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        Instant now = Instant.now();
        TestCa.Issued other = ca.server(
                "server-other", List.of("registry.other.test"), now.minusSeconds(3600), now.plusSeconds(86_400));
        try (RegistryProcess registry = https(other, null)) {
            RegistryClient c = client(registry, new TlsSettings(ca.caFile().toString(), null, null, true));

            assertThatThrownBy(() -> await(c.ping())).isInstanceOfSatisfying(RegistryException.class, e -> {
                assertThat(e.refusedTls()).isTrue();
                assertThat(e.getMessage())
                        .isEqualTo("ping at https://" + registry.host() + ": TLS certificate refused: the"
                                + " registry's certificate does not match the host name (the certificate names registry.other.test,"
                                + " not 127.0.0.1)");
            });
        }
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant expiredAt = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestCa.Issued old =
                ca.server("server-expired", List.of("127.0.0.1"), expiredAt.minus(Duration.ofDays(30)), expiredAt);
        try (RegistryProcess registry = https(old, null)) {
            RegistryClient c = client(registry, new TlsSettings(ca.caFile().toString(), null, null, true));

            assertThatThrownBy(() -> await(c.ping())).isInstanceOfSatisfying(RegistryException.class, e -> {
                assertThat(e.refusedTls()).isTrue();
                assertThat(e.getMessage())
                        .isEqualTo("ping at https://" + registry.host() + ": TLS certificate refused: the"
                                + " registry's certificate has expired (certificate CN=127.0.0.1 expired at "
                                + expiredAt + ")");
            });
        }
    }

    @Test
    void tokenAuthWorksOverHttpsWithTheRealmOnAnotherOrigin() throws Exception {
        try (TokenIssuer issuer = TokenIssuer.start("robot", "robot-Tls-Pw-3c9");
                RegistryProcess registry = RegistryProcess.start(
                        RegistryOptions.defaults().withTokenAuth(issuer).withTls(ca.server("server-token"), null))) {
            var connection = new Connections(EgressProxy.none(), Clock.systemUTC())
                    .open(new TlsSettings(ca.caFile().toString(), null, null, true), null, registry.host(), false);
            RegistryClient c = new RegistryClient(
                    http,
                    new RegistryEndpoint(registry.host(), false, connection),
                    Credentials.parse("robot:robot-Tls-Pw-3c9"),
                    RegistryClientOptions.defaults(),
                    Clock.systemUTC());
            byte[] bytes = "token over https".getBytes(StandardCharsets.UTF_8);
            Descriptor blob = Descriptor.of("application/octet-stream", Digest.sha256(bytes), bytes.length);

            await(c.putBlob("tls/token", blob, new BufferStream(Buffer.buffer(bytes))));

            assertThat(await(c.hasBlob("tls/token", blob.digest()))).isTrue();
            assertThat(issuer.requestCount()).isPositive();
            assertThat(registry.countRequests("PUT", "/v2/tls/token/blobs/uploads/.*"))
                    .isEqualTo(1);
        }
    }

    @Test
    void verifyFalseAcceptsACertificateNobodyTrusts() throws Exception {
        try (RegistryProcess registry = https(ca.server("server-unverified"), null)) {
            RegistryClient c = client(registry, new TlsSettings(null, null, null, false));

            await(c.ping());

            assertThat(registry.countRequests("GET", "/v2/")).isEqualTo(1);
        }
    }

    @Test
    void aRegistryThatRequiresClientCertificatesAcceptsOursAndRefusesNone() throws Exception {
        try (RegistryProcess registry = https(ca.server("server-mtls"), ca.caFile())) {
            RegistryClient with = client(
                    registry,
                    new TlsSettings(
                            ca.caFile().toString(),
                            client.cert().toString(),
                            client.key().toString(),
                            true));
            RegistryClient without =
                    client(registry, new TlsSettings(ca.caFile().toString(), null, null, true));

            await(with.ping());
            assertThat(registry.awaitRequests("GET", "/v2/", 1)).hasSize(1);

            assertThatThrownBy(() -> await(without.ping())).isInstanceOfSatisfying(RegistryException.class, e -> {
                assertThat(e.refusedTls()).isTrue();
                assertThat(e.isTemporary()).isFalse();
                assertThat(e.getMessage())
                        .startsWith("ping at https://" + registry.host() + ": TLS handshake refused: ")
                        .endsWith("; the registry may require a client certificate: give tls.certFile and tls.keyFile"
                                + " (ferry copy: client.cert and client.key in the --src-cert-dir / --dest-cert-dir)");
            });
            assertThat(registry.countRequests("GET", "/v2/")).isEqualTo(1);
        }
    }
}
