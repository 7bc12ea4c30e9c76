package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.transport.TlsSettings;
import dev.ferry.config.audit.ConfigAudit;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry's {@code tls:} and {@code proxy:}: the files are read at load time, so every
 * unusable one is a problem at its line and column, and HTTPS without verification is flagged.
 */
class RegistryTlsConfigTest {

    @TempDir
    Path dir;

    private TestCa ca;
    private TestCa.Issued client;

    @BeforeEach
    void makeFiles() {
        ca = TestCa.create(dir, "corp");
        client = ca.client("ferry", "ferry");
    }

    private String schedule(String registryLines) {
        return """
        version: 1
        registries:
          - name: harbor
            url: https://harbor.example.com
        %s""".formatted(registryLines.indent(4));
    }

    private RegistryConfig load(String registryLines) {
        return ScheduleLoader.parse("ferry.yaml", schedule(registryLines), dir)
                .registry("harbor")
                .orElseThrow();
    }

    private List<String> problems(String registryLines) {
        try {
            ScheduleLoader.parse("ferry.yaml", schedule(registryLines), dir);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void caAndClientCertificateAreResolvedAgainstTheScheduleDirectory() {
        RegistryConfig r = load("tls: { caFile: corp-ca.crt, certFile: ferry.crt, keyFile: ferry.key }");

        assertThat(r.tls())
                .isEqualTo(new TlsSettings(
                        dir.resolve("corp-ca.crt").toString(),
                        client.cert().toString(),
                        client.key().toString(),
                        true));
    }

    @Test
    void withoutTlsTheRegistryUsesTheJvmTrustStoreAndTheEnvironmentsProxy() {
        RegistryConfig r = load("region: eu");

        assertThat(r.tls()).isEqualTo(TlsSettings.DEFAULT);
        assertThat(r.proxy()).isNull();
    }

    @Test
    void aMissingCaFileIsAProblemAtItsLine() {
        assertThat(problems("tls: { caFile: nowhere.pem }"))
                .containsExactly(
                        "ferry.yaml:5:20: registries[0].tls.caFile: " + dir.resolve("nowhere.pem") + " does not exist");
    }

    @Test
    void aCaFileThatIsNotPemIsAProblem() throws Exception {
        Files.write(dir.resolve("ca.der"), new byte[] {0x30, (byte) 0x82, 1, 2, 3});

        assertThat(problems("tls: { caFile: ca.der }"))
                .containsExactly("ferry.yaml:5:20: registries[0].tls.caFile: " + dir.resolve("ca.der")
                        + " is not PEM (no -----BEGIN ...----- block)");
    }

    @Test
    void aKeyFileWithoutAKeyIsAProblemAtTheKey() {
        assertThat(problems("tls:\n  certFile: ferry.crt\n  keyFile: corp-ca.crt"))
                .containsExactly("ferry.yaml:7:16: registries[0].tls.keyFile: " + dir.resolve("corp-ca.crt")
                        + " holds no PEM private key"
                        + " (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    @Test
    void anEncryptedKeyIsRefusedWithoutAskingForAPassphrase() throws Exception {
        Files.writeString(
                dir.resolve("enc.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n" + "-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThat(problems("tls: { certFile: ferry.crt, keyFile: enc.key }"))
                .singleElement()
                .asString()
                .contains("registries[0].tls.keyFile: ")
                .contains("holds an encrypted private key");
    }

    @Test
    void verifyFalseWithACaFileIsAContradiction() {
        assertThat(problems("tls: { caFile: corp-ca.crt, verify: false }"))
                .singleElement()
                .asString()
                .startsWith("ferry.yaml:5:41: registries[0].tls.verify: verify: false accepts any certificate");
    }

    @Test
    void tlsOnAPlainHttpRegistryIsAProblem() {
        String doc = """
        version: 1
        registries:
          - name: local
            url: http://127.0.0.1:5000
            insecure: true
            tls: { caFile: corp-ca.crt }
        """;
        try {
            ScheduleLoader.parse("ferry.yaml", doc, dir);
            throw new AssertionError("loaded");
        } catch (ConfigException e) {
            assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .contains("registries[0].tls")
                    .contains("tls: applies to https:// URLs only");
        }
    }

    @Test
    void aProxyIsAnHttpOrSocksUrlWithoutCredentialsOrDirect() {
        assertThat(load("proxy: http://proxy.internal:3128").proxy()).isEqualTo("http://proxy.internal:3128");
        assertThat(load("proxy: direct").proxy()).isEqualTo("direct");
        assertThat(problems("proxy: http://user:pw@proxy.internal:3128"))
                .singleElement()
                .asString()
                .contains("registries[0].proxy: give no credentials in the proxy URL")
                .doesNotContain("pw");
    }

    @Test
    void auditConfigFlagsHttpsWithoutVerification() throws Exception {
        Path file = dir.resolve("ferry.yaml");
        Files.writeString(file, schedule("tls: { verify: false }"));

        var findings = ConfigAudit.audit(file).findings();

        assertThat(findings).anySatisfy(f -> {
            assertThat(f.rule()).isEqualTo("tls-unverified");
            assertThat(f.message()).contains("registry \"harbor\" is reached over HTTPS without verification");
        });
    }
}
