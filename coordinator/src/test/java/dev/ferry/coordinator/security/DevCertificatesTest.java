package dev.ferry.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertificatesTest {

    @TempDir
    Path dir;

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    @DisplayName("certs init writes a CA that signs a server certificate with SANs and a client certificate")
    void chain() throws Exception {
        new DevCertificates(Clock.systemUTC(), new SecureRandom())
                .write(dir, List.of("ferry.example.com", "10.0.0.7"), "worker-1", Duration.ofDays(30), false);

        X509Certificate ca = read(dir.resolve("ca.crt"));
        X509Certificate server = read(dir.resolve("server.crt"));
        X509Certificate client = read(dir.resolve("client.crt"));
        server.verify(ca.getPublicKey());
        client.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames())
                .extracting(san -> san.get(1).toString())
                .contains("localhost", "127.0.0.1", "ferry.example.com", "10.0.0.7");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=worker-1");
        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    @DisplayName("existing files are not replaced without overwrite")
    void noOverwrite() throws Exception {
        DevCertificates certs = new DevCertificates(Clock.systemUTC(), new SecureRandom());
        certs.write(dir, List.of(), "w", Duration.ofDays(1), false);
        String before = Files.readString(dir.resolve("ca.crt"));
        assertThatThrownBy(() -> certs.write(dir, List.of(), "w", Duration.ofDays(1), false))
                .hasMessageContaining("ca.crt exists");
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(before);
    }
}
