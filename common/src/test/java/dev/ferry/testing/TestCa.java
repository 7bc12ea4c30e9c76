package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made by a test (ECDSA P-256), writing PEM files into a directory:
 * {@code ca.crt} to trust, and server or client certificates with their PKCS#8 keys. Server
 * certificates may name other hosts or carry chosen validity dates, to test the refusals.
 */
public final class TestCa {

    /** A certificate and its key, as PEM files. */
    public record Issued(Path cert, Path key) {}

    private final Path dir;
    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final SecureRandom random = new SecureRandom();
    private int serial;

    private TestCa(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        this.certificate =
                sign(subject, keys, subject, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                });
        write(caFile(), "CERTIFICATE", der(certificate));
    }

    /** A new CA whose files go into {@code dir} (created if needed). */
    public static TestCa create(Path dir, String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCa(dir, name);
    }

    public Path caFile() {
        return dir.resolve(name + "-ca.crt");
    }

    /** A server certificate for 127.0.0.1 and localhost, valid now. */
    public Issued server(String file) {
        Instant now = Instant.now();
        return server(
                file, List.of("127.0.0.1", "localhost"), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    /** A server certificate for {@code names} (DNS names or IP addresses) valid between the two instants. */
    public Issued server(String file, List<String> names, Instant notBefore, Instant notAfter) {
        KeyPair leaf = keyPair();
        X509Certificate cert =
                sign(new X500Name("CN=" + names.get(0)), leaf, new X500Name("CN=" + name), notBefore, notAfter, b -> {
                    leafExtensions(b, KeyPurposeId.id_kp_serverAuth);
                    GeneralName[] sans = names.stream().map(TestCa::san).toArray(GeneralName[]::new);
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
                });
        return issued(file, leaf, cert);
    }

    /** A client certificate with common name {@code cn}. */
    public Issued client(String file, String cn) {
        KeyPair leaf = keyPair();
        Instant now = Instant.now();
        X509Certificate cert = sign(
                new X500Name("CN=" + cn),
                leaf,
                new X500Name("CN=" + name),
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)),
                b -> leafExtensions(b, KeyPurposeId.id_kp_clientAuth));
        return issued(file, leaf, cert);
    }

    private Issued issued(String file, KeyPair leaf, X509Certificate cert) {
        Path certFile = dir.resolve(file + ".crt");
        Path keyFile = dir.resolve(file + ".key");
        write(certFile, "CERTIFICATE", der(cert));
        write(keyFile, "PRIVATE KEY", leaf.getPrivate().getEncoded());
        return new Issued(certFile, keyFile);
    }

    private static GeneralName san(String n) {
        boolean address = n.chars().allMatch(c -> c == '.' || Character.isDigit(c)) || n.contains(":");
        return new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, n);
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder b) throws IOException;
    }

    private static void leafExtensions(X509v3CertificateBuilder b, KeyPurposeId purpose) throws IOException {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }

    private X509Certificate sign(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            Instant notBefore,
            Instant notAfter,
            Extensions extensions) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(++serial)
                            .add(BigInteger.valueOf(random.nextInt(1 << 20)).shiftLeft(16)),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKeys.getPublic());
            extensions.add(b);
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String type, byte[] der) {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
        try {
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
