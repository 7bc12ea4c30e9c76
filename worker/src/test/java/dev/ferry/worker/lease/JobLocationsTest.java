package dev.ferry.worker.lease;

import static dev.ferry.worker.lease.Jobs.job;
import static dev.ferry.worker.lease.Jobs.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.layout.OciLayoutStore;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.manifest.Platform;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.RequestObserver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class JobLocationsTest {

    private HttpClientAgent http;
    private JobLocations locations;

    @BeforeEach
    void setUp(Vertx vertx) {
        http = RegistryClient.newHttpClient(vertx, 4);
        locations = new JobLocations(
                vertx,
                http,
                new CredentialsResolver(Map.of("PW", "x")::get, Path.of("/")),
                RegistryClientOptions.defaults(),
                3,
                Clock.systemUTC(),
                UnaryOperator.identity(),
                null,
                name -> RequestObserver.NONE);
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    @Test
    void endpointsOpenAsRegistriesOrLayoutsNamedByTheirRegistry() {
        JobLocations.Opened opened = locations.open(job(
                registry("hub-eu", "https://registry.eu.example.com", "team/app", "v1", null),
                new Endpoint("airgap", "oci:/mnt/export", null, "v1", null),
                "linux/arm64"));

        RegistryClient source = (RegistryClient) opened.source().store();
        assertThat(source.endpoint().baseUrl()).isEqualTo("https://registry.eu.example.com");
        assertThat(opened.source().registryId()).isEqualTo("hub-eu");
        assertThat(opened.source().repository()).isEqualTo("team/app");
        assertThat(opened.target().store()).isInstanceOf(OciLayoutStore.class);
        assertThat(opened.target().store().describe()).isEqualTo("OCI layout /mnt/export");
        assertThat(opened.target().registryId()).isEqualTo("airgap");
        assertThat(opened.options().platforms()).containsExactly(Platform.parse("linux/arm64"));
        assertThat(opened.options().blobConcurrency()).isEqualTo(3);

        JobLocations.Opened plain = locations.open(job(
                registry("local", "http://127.0.0.1:5000/", "a", "v1", null),
                registry("mirror", "https://mirror:8443", "b", "sha256:" + "c".repeat(64), null)));
        assertThat(((RegistryClient) plain.source().store()).endpoint().baseUrl())
                .isEqualTo("http://127.0.0.1:5000");
        assertThat(((RegistryClient) plain.target().store()).endpoint().baseUrl())
                .isEqualTo("https://mirror:8443");
        assertThat(plain.target().byDigest()).isTrue();
        assertThat(plain.options().allPlatforms()).isTrue();
    }

    @Test
    void aRegistrysOwnTimeoutsReplaceTheWorkersDefaults() {
        var limits = new dev.ferry.common.lease.LeaseProtocol.Limits(
                null, null, null, null, new dev.ferry.common.lease.LeaseProtocol.TimeoutLimits(2_000, 15_000, 30_000));
        Endpoint withTimeouts = new Endpoint("hub", "https://hub.example.com", "a", "v1", null, limits);
        RegistryClientOptions options = locations.options(withTimeouts);
        assertThat(options.connectTimeout()).hasMillis(2_000);
        assertThat(options.firstByteTimeout()).hasSeconds(15);
        assertThat(options.idleTimeout()).hasSeconds(30);
        assertThat(options.chunkSize())
                .isEqualTo(RegistryClientOptions.defaults().chunkSize());
        assertThat(locations.options(new Endpoint("hub", "https://hub.example.com", "a", "v1", null)))
                .isEqualTo(RegistryClientOptions.defaults());
    }

    @Test
    void aTlsFileTheWorkerCannotReadOrABadProxyMakesTheJobInvalidNamingTheRegistry() {
        Endpoint ok = registry("b", "https://b", "repo", "v1", null);
        Endpoint missingCa = new Endpoint(
                "harbor",
                "https://harbor.internal",
                "repo",
                "v1",
                null,
                null,
                List.of(),
                new dev.ferry.common.transport.TlsSettings("/nonexistent/ca.pem", null, null, true),
                null);
        Endpoint badProxy = new Endpoint(
                "harbor", "https://harbor.internal", "repo", "v1", null, null, List.of(), null, "ftp://proxy:21");

        assertThatThrownBy(() -> locations.open(job(missingCa, ok)))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("source registry harbor tls.caFile: /nonexistent/ca.pem does not exist");
        assertThatThrownBy(() -> locations.open(job(ok, badProxy)))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage(
                        "target registry harbor proxy: the proxy must be http://HOST:PORT or socks5://HOST:PORT, not ftp://");
    }

    @Test
    void endpointsThatAreNotRegistryRootsOrLackAReferenceAreInvalid() {
        Endpoint ok = registry("b", "https://b", "repo", "v1", null);
        for (Endpoint bad : new Endpoint[] {
            registry("a", "ftp://a", "repo", "v1", null),
            registry("a", "https://a/v2/", "repo", "v1", null),
            registry("a", "https://user:pw@a", "repo", "v1", null),
            registry("a", "https://a", "", "v1", null),
            registry("a", "https://a", "repo", null, null),
            registry("a", null, "repo", "v1", null)
        }) {
            assertThatThrownBy(() -> locations.open(job(bad, ok)))
                    .as(bad.toString())
                    .isInstanceOf(InvalidJobException.class)
                    .hasMessageStartingWith("source");
        }
        assertThatThrownBy(() -> locations.open(null)).isInstanceOf(InvalidJobException.class);
    }

    @Test
    void theJobsKeysAndReferrersReachTheCopyOptionsAndAnUnusableKeyMakesTheJobInvalid() {
        var src = registry("hub", "https://hub.example.com", "team/app", "v1", null);
        var dst = registry("mirror", "https://mirror.example.com", "team/app", "v1", null);
        String pem = dev.ferry.testing.CosignSigner.ed25519().publicKeyPem();

        JobLocations.Opened opened = locations.open(new dev.ferry.common.lease.LeaseProtocol.JobSpec(
                "apps", "run-1", "normal", src, dst, java.util.List.of(), true, java.util.List.of(pem)));

        assertThat(opened.options().referrers()).isTrue();
        assertThat(opened.options().signatureKeys())
                .singleElement()
                .satisfies(k -> assertThat(k.type()).isEqualTo(dev.ferry.common.signature.CosignKey.Type.ED25519));
        assertThat(locations.open(job(src, dst)).options().signatureKeys()).isEmpty();
        assertThatThrownBy(() -> locations.open(new dev.ferry.common.lease.LeaseProtocol.JobSpec(
                        "apps", "run-1", "normal", src, dst, java.util.List.of(), false, java.util.List.of("garbage"))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("cosign key 1 of the job is not a PEM public key");
    }
}
