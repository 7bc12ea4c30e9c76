package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.Digests;
import dev.ferry.testing.LogMark;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryOptions;
import dev.ferry.testing.RegistryProcess;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TempDirectory;
import dev.ferry.testing.TestCa;
import dev.ferry.testing.TestImages;
import dev.ferry.testing.Tinyproxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core paths over HTTPS against real distribution registries serving certificates of a CA
 * the test makes: {@code ferry copy} with docker-style cert dirs, a standalone sync with
 * {@code tls:} and {@code proxy:} in the schedule, a coordinator with a separate worker, the
 * failover probes, and each certificate refusal as the user sees it.
 */
class HttpsIT {

    @RegisterExtension
    static RegistryExtension plain = RegistryExtension.plain();

    private static Path pki;
    private static TestCa ca;
    /** HTTPS with the test CA. */
    private static RegistryProcess secure;
    /** HTTPS that requires a client certificate of the test CA. */
    private static RegistryProcess mutual;

    private static Path caDir;
    private static Path clientDir;

    private final Skopeo skopeo = new Skopeo();

    @BeforeAll
    static void startRegistries() throws Exception {
        pki = TempDirectory.create("ferry-https-it-");
        ca = TestCa.create(pki, "ferry-it");
        secure = RegistryProcess.start(RegistryOptions.defaults().withTls(ca.server("secure"), null));
        mutual = RegistryProcess.start(RegistryOptions.defaults().withTls(ca.server("mutual"), ca.caFile()));
        TestCa.Issued client = ca.client("client", "ferry-worker");
        caDir = Files.createDirectories(pki.resolve("certs.d-ca"));
        Files.copy(ca.caFile(), caDir.resolve("ca.crt"));
        clientDir = Files.createDirectories(pki.resolve("certs.d-client"));
        Files.copy(ca.caFile(), clientDir.resolve("ca.crt"));
        Files.copy(client.cert(), clientDir.resolve("client.cert"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(client.key(), clientDir.resolve("client.key"), StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void stopRegistries() {
        secure.close();
        mutual.close();
        TempDirectory.deleteRecursively(pki);
    }

    private static String docker(String host, String repoAndRef) {
        return "docker://" + host + "/" + repoAndRef;
    }

    /** The digest of a manifest on the registry that requires client certificates. */
    private String mutualDigest(String repoAndRef) {
        return Digests.sha256(skopeo.run(List.of(
                        "inspect", "--raw", "--cert-dir", clientDir.toString(), docker(mutual.host(), repoAndRef)))
                .stdout());
    }

    @Test
    void copyMovesAnImageIntoAndBetweenHttpsRegistriesWithCertDirs() throws Exception {
        SeededImage index = TestImages.forRegistry(plain.registry()).pushOciIndex("tls/app", "v1", 61, 2000, 6000);

        FerryProcess.Result in = FerryProcess.run(
                "copy",
                "--src-insecure",
                "--dest-cert-dir",
                caDir.toString(),
                docker(plain.host(), "tls/app:v1"),
                docker(secure.host(), "tls/app:v1"));
        FerryProcess.Result across = FerryProcess.run(
                "copy",
                "--src-cert-dir",
                caDir.toString(),
                "--dest-cert-dir",
                clientDir.toString(),
                docker(secure.host(), "tls/app:v1"),
                docker(mutual.host(), "tls/app:v1"));

        assertThat(in.exitCode()).as(in.stderr()).isZero();
        assertThat(across.exitCode()).as(across.stderr()).isZero();
        assertThat(skopeo.manifestDigest(docker(secure.host(), "tls/app:v1"))).isEqualTo(index.digest());
        assertThat(mutualDigest("tls/app:v1")).isEqualTo(index.digest());
    }

    @Test
    void copyRefusesAnUnknownCaAnotherHostsAndAnExpiredCertificate() throws Exception {
        Instant now = Instant.now();
        Instant expiredAt = now.minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (RegistryProcess other = RegistryProcess.start(RegistryOptions.defaults()
                        .withTls(
                                ca.server(
                                        "other",
                                        List.of("registry.other.test"),
                                        now.minusSeconds(3600),
                                        now.plusSeconds(86_400)),
                                null));
                RegistryProcess expired = RegistryProcess.start(RegistryOptions.defaults()
                        .withTls(
                                ca.server(
                                        "expired",
                                        List.of("127.0.0.1"),
                                        expiredAt.minus(Duration.ofDays(30)),
                                        expiredAt),
                                null))) {

            FerryProcess.Result unknownCa = FerryProcess.run(
                    "copy",
                    docker(secure.host(), "tls/none:v1"),
                    docker(plain.host(), "tls/none:v1"),
                    "--dest-insecure");
            FerryProcess.Result mismatch = FerryProcess.run(
                    "copy",
                    "--src-cert-dir",
                    caDir.toString(),
                    docker(other.host(), "tls/none:v1"),
                    docker(plain.host(), "tls/none:v1"),
                    "--dest-insecure");
            FerryProcess.Result old = FerryProcess.run(
                    "copy",
                    "--src-cert-dir",
                    caDir.toString(),
                    docker(expired.host(), "tls/none:v1"),
                    docker(plain.host(), "tls/none:v1"),
                    "--dest-insecure");

            assertThat(unknownCa.exitCode()).isEqualTo(1);
            assertThat(unknownCa.stderr())
                    .contains("at https://" + secure.host() + ": TLS certificate refused: the"
                            + " registry's certificate is not signed by a trusted CA (unknown CA); give the registry's CA bundle in"
                            + " tls.caFile (issuer CN=ferry-it)");
            assertThat(mismatch.exitCode()).isEqualTo(1);
            assertThat(mismatch.stderr())
                    .contains("at https://" + other.host() + ": TLS certificate refused: the"
                            + " registry's certificate does not match the host name (the certificate names registry.other.test, not"
                            + " 127.0.0.1)");
            assertThat(old.exitCode()).isEqualTo(1);
            assertThat(old.stderr())
                    .contains("at https://" + expired.host() + ": TLS certificate refused: the"
                            + " registry's certificate has expired (certificate CN=127.0.0.1 expired at " + expiredAt
                            + ")");
            assertThat(other.countRequests("GET", ".*") + expired.countRequests("GET", ".*"))
                    .isZero();
        }
    }

    @Test
    void copyWithoutTheRequiredClientCertificateFailsAndTlsVerifyFalseAcceptsAnyCertificate() throws Exception {
        TestImages.forRegistry(plain.registry()).pushOciImage("tls/plainsrc", "v1", 62, 1000);
        LogMark mark = mutual.mark();

        FerryProcess.Result noClientCert = FerryProcess.run(
                "copy",
                "--src-insecure",
                "--dest-cert-dir",
                caDir.toString(),
                docker(plain.host(), "tls/plainsrc:v1"),
                docker(mutual.host(), "tls/plainsrc:v1"));
        FerryProcess.Result unverified = FerryProcess.run(
                "copy",
                "--src-insecure",
                "--dest-tls-verify=false",
                docker(plain.host(), "tls/plainsrc:v1"),
                docker(secure.host(), "tls/unverified:v1"));

        assertThat(noClientCert.exitCode()).isEqualTo(1);
        assertThat(noClientCert.stderr())
                .contains("at https://" + mutual.host() + ": TLS handshake refused: ")
                .contains("the registry may require a client certificate: give tls.certFile and tls.keyFile");
        assertThat(mutual.requestsSince(mark, "PUT", ".*")).isEmpty();
        assertThat(unverified.exitCode()).as(unverified.stderr()).isZero();
        assertThat(skopeo.exists(docker(secure.host(), "tls/unverified:v1"))).isTrue();
    }

    @Test
    void copyGoesThroughTheProxyHttpsProxyNames() throws Exception {
        SeededImage image = TestImages.forRegistry(plain.registry()).pushOciImage("tls/proxied", "v1", 63, 1000);
        try (Tinyproxy proxy = Tinyproxy.start()) {
            FerryProcess.Result r = FerryProcess.run(
                    List.of(),
                    Map.of("HTTPS_PROXY", proxy.url(), "NO_PROXY", plain.host()),
                    "copy",
                    "--src-insecure",
                    "--dest-cert-dir",
                    caDir.toString(),
                    docker(plain.host(), "tls/proxied:v1"),
                    docker(secure.host(), "tls/proxied:v1"));

            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(proxy.requests()).isNotEmpty().allMatch(q -> q.equals("CONNECT " + secure.host()));
            assertThat(skopeo.manifestDigest(docker(secure.host(), "tls/proxied:v1")))
                    .isEqualTo(image.digest());
        }
    }

    private Path schedule(Path dir, String extra) throws Exception {
        Files.copy(ca.caFile(), dir.resolve("ca.pem"));
        Files.copy(clientDir.resolve("client.cert"), dir.resolve("client.crt"));
        Files.copy(clientDir.resolve("client.key"), dir.resolve("client.key"));
        return Files.writeString(dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - name: secure
            url: %s
            tls: { caFile: ca.pem }
          - name: mutual
            url: %s
            tls: { caFile: ca.pem, certFile: client.crt, keyFile: client.key }
        %s
        defaults:
          trigger: { manual: true }
        policies:
          - name: over-tls
            source: { registry: secure, repositories: ["sync/*"] }
            targets: [ { registry: mutual, prefix: "mirror/" } ]
        """.formatted(secure.url(), mutual.url(), extra));
    }

    private void seedSecure(String repoAndTag, int seed) throws Exception {
        String repo = repoAndTag.substring(0, repoAndTag.indexOf(':'));
        TestImages.forRegistry(plain.registry())
                .pushOciImage(repo, repoAndTag.substring(repo.length() + 1), seed, 1500);
        FerryProcess.Result seeded = FerryProcess.run(
                "copy",
                "--src-insecure",
                "--dest-cert-dir",
                caDir.toString(),
                docker(plain.host(), repoAndTag),
                docker(secure.host(), repoAndTag));
        assertThat(seeded.exitCode()).as(seeded.stderr()).isZero();
    }

    @Test
    void aStandaloneSyncCopiesBetweenHttpsRegistriesThroughTheTargetsProxy(@TempDir Path dir) throws Exception {
        seedSecure("sync/standalone:v1", 64);
        try (Tinyproxy proxy = Tinyproxy.start()) {
            Path file = Files.writeString(
                    dir.resolve("schedule.yaml"),
                    Files.readString(schedule(dir, ""))
                            .replace(
                                    "tls: { caFile: ca.pem, certFile",
                                    "proxy: " + proxy.url() + "\n    tls: { caFile: ca.pem, certFile"));

            FerryProcess.Result r = FerryProcess.run(
                    "standalone",
                    "--config",
                    file.toString(),
                    "--once",
                    "--data-dir",
                    dir.resolve("data").toString());

            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
            assertThat(r.stdout()).contains("policy over-tls: succeeded");
            assertThat(mutualDigest("mirror/sync/standalone:v1"))
                    .isEqualTo(skopeo.manifestDigest(docker(secure.host(), "sync/standalone:v1")));
            assertThat(proxy.requests()).isNotEmpty().allMatch(q -> q.equals("CONNECT " + mutual.host()));
        }
    }

    /**
     * A source whose primary gives no answer is read through its fallback URL with the
     * registry's own tls: (without the CA the fallback's certificate would be refused).
     */
    @Test
    void aFallbackUrlIsReachedWithTheRegistrysTlsSettings(@TempDir Path dir) throws Exception {
        seedSecure("sync/fallback:v1", 67);
        String dead = "https://127.0.0.1:" + dev.ferry.testing.FreePort.forListener();
        Path file = Files.writeString(
                dir.resolve("schedule.yaml"),
                Files.readString(schedule(dir, ""))
                        .replace(
                                "url: " + secure.url() + "\n    tls: { caFile: ca.pem }",
                                "url: " + dead + "\n    fallbackUrls: [\"" + secure.url()
                                        + "\"]\n    retry: { maxAttempts: 2 }" + "\n    tls: { caFile: ca.pem }"));
        assertThat(Files.readString(file)).contains("fallbackUrls");

        FerryProcess.Result r = FerryProcess.run(
                "standalone",
                "--config",
                file.toString(),
                "--once",
                "--data-dir",
                dir.resolve("data").toString());

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("policy over-tls: succeeded");
        assertThat(mutualDigest("mirror/sync/fallback:v1"))
                .isEqualTo(skopeo.manifestDigest(docker(secure.host(), "sync/fallback:v1")));
    }

    @Test
    void aCoordinatorAndAWorkerSyncOverHttpsAndProbesTellATrustedRegistryFromAnUntrustedOne(@TempDir Path dir)
            throws Exception {
        seedSecure("sync/cluster:v1", 65);
        Path file = schedule(dir, """
          - name: untrusted
            url: %s
        failover: { probeInterval: 1s, downAfter: 2 }""".formatted(secure.url()));
        try (FerryProcesses ferry = new FerryProcesses()) {
            int api = ferry.coordinator(dir, file);
            ferry.worker(dir, api, "w1", "default", 2);

            HttpResponse<String> sync = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + api + "/v1/policies/over-tls/sync?wait=true"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .timeout(Duration.ofMinutes(3))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
            assertThat(sync.body()).contains("\"succeeded\"");
            assertThat(mutualDigest("mirror/sync/cluster:v1"))
                    .isEqualTo(skopeo.manifestDigest(docker(secure.host(), "sync/cluster:v1")));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        JsonNode registries = ferry.get(api, "/v1/registries").path("registries");
                        assertThat(state(registries, "secure").path("state").asText())
                                .isEqualTo("healthy");
                        assertThat(state(registries, "mutual")
                                        .path("lastProbe")
                                        .path("ok")
                                        .asBoolean())
                                .isTrue();
                        JsonNode untrusted = state(registries, "untrusted");
                        assertThat(untrusted.path("state").asText()).isEqualTo("down");
                        assertThat(untrusted.path("lastProbe").path("status").asText())
                                .isEqualTo("TLS certificate refused: the"
                                        + " registry's certificate is not signed by a trusted CA (unknown CA); give the registry's CA bundle in"
                                        + " tls.caFile (issuer CN=ferry-it)");
                    });
        }
    }

    private static JsonNode state(JsonNode registries, String name) {
        for (JsonNode r : registries) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no registry " + name + " in " + registries);
    }

    /**
     * The secret paths this feature adds: a proxy password in HTTPS_PROXY (used to pass the
     * proxy's basic auth, refused, or not reachable at all) and the client key, which is read
     * into memory only. None may show in any output.
     */
    @Test
    void proxyCredentialsAndTheClientKeyNeverShowUp() throws Exception {
        String proxyPassword = "proxy-Pw-c41d9e77";
        List<String> keyLines = Files.readAllLines(clientDir.resolve("client.key"));
        SecretScan scan =
                new SecretScan().secret("proxy password", proxyPassword).secret("client key", keyLines.get(1));
        TestImages.forRegistry(plain.registry()).pushOciImage("tls/leak", "v1", 66, 1000);
        try (Tinyproxy proxy = Tinyproxy.start("ferry", proxyPassword)) {
            List<String> copy = List.of(
                    "copy",
                    "--src-insecure",
                    "--dest-cert-dir",
                    clientDir.toString(),
                    docker(plain.host(), "tls/leak:v1"),
                    docker(mutual.host(), "tls/leak:v1"));
            FerryProcess.Result ok = FerryProcess.run(
                    List.of(),
                    Map.of(
                            "HTTPS_PROXY",
                            "http://ferry:" + proxyPassword + "@" + proxy.url().substring("http://".length()),
                            "NO_PROXY",
                            plain.host()),
                    copy.toArray(String[]::new));
            FerryProcess.Result wrong = FerryProcess.run(
                    List.of(),
                    Map.of(
                            "HTTPS_PROXY",
                            "http://ferry:not-" + proxyPassword + "@"
                                    + proxy.url().substring("http://".length()),
                            "NO_PROXY",
                            plain.host()),
                    copy.toArray(String[]::new));
            FerryProcess.Result unreachable = FerryProcess.run(
                    List.of(),
                    Map.of("HTTPS_PROXY", "http://ferry:" + proxyPassword + "@127.0.0.1:1", "NO_PROXY", plain.host()),
                    copy.toArray(String[]::new));

            assertThat(ok.exitCode()).as(ok.stderr()).isZero();
            assertThat(proxy.requests()).contains("CONNECT " + mutual.host());
            assertThat(wrong.exitCode()).isEqualTo(1);
            assertThat(unreachable.exitCode()).isEqualTo(1);
            for (var r : Map.of("accepted", ok, "wrong password", wrong, "unreachable proxy", unreachable)
                    .entrySet()) {
                scan.output(r.getKey() + " stdout", r.getValue().stdout())
                        .output(r.getKey() + " stderr", r.getValue().stderr());
            }
        }
        scan.assertNoLeaks();
    }
}
