package dev.ferry.coordinator.security;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA with one server and one client certificate (ECDSA P-256), written as PEM
 * files for the control API's TLS and workers' mTLS: {@code ca.crt}, {@code ca.key},
 * {@code server.crt}, {@code server.key}, {@code client.crt}, {@code client.key}. Keys are
 * PKCS#8 and readable by the owner only.
 */
public final class DevCertificates {

    public static final List<String> FILES =
            List.of("ca.crt", "ca.key", "server.crt", "server.key", "client.crt", "client.key");

    private final Clock clock;
    private final SecureRandom random;

    public DevCertificates(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param serverNames DNS names and IP addresses for the server certificate's SANs
     *     ({@code localhost}, {@code 127.0.0.1} and {@code ::1} are always added)
     * @param clientName the client certificate's common name
     * @throws FileAlreadyExistsException when one of the files exists and {@code overwrite} is false
     */
    public List<Path> write(Path dir, List<String> serverNames, String clientName, Duration validity, boolean overwrite)
            throws IOException, GeneralSecurityException {
        if (!overwrite) {
            for (String f : FILES) {
                if (Files.exists(dir.resolve(f))) {
                    throw new FileAlreadyExistsException(dir.resolve(f) + " exists; pass --force to replace the set");
                }
            }
        }
        Files.createDirectories(dir);
        KeyPair caKeys = keyPair();
        X500Name caName = new X500Name("CN=Ferry private CA");
        X509Certificate ca = sign(caName, caKeys, caName, caKeys, validity.multipliedBy(2), builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
        KeyPair serverKeys = keyPair();
        X509Certificate server =
                sign(new X500Name("CN=ferry-coordinator"), serverKeys, caName, caKeys, validity, builder -> {
                    leaf(builder, KeyPurposeId.id_kp_serverAuth);
                    builder.addExtension(Extension.subjectAlternativeName, false, sans(serverNames));
                });
        KeyPair clientKeys = keyPair();
        X509Certificate client = sign(
                new X500Name("CN=" + clientName),
                clientKeys,
                caName,
                caKeys,
                validity,
                builder -> leaf(builder, KeyPurposeId.id_kp_clientAuth));
        List<Path> out = new ArrayList<>();
        out.add(writePem(dir.resolve("ca.crt"), "CERTIFICATE", ca.getEncoded(), false));
        out.add(writePem(
                dir.resolve("ca.key"), "PRIVATE KEY", caKeys.getPrivate().getEncoded(), true));
        out.add(writePem(dir.resolve("server.crt"), "CERTIFICATE", server.getEncoded(), false));
        out.add(writePem(
                dir.resolve("server.key"),
                "PRIVATE KEY",
                serverKeys.getPrivate().getEncoded(),
                true));
        out.add(writePem(dir.resolve("client.crt"), "CERTIFICATE", client.getEncoded(), false));
        out.add(writePem(
                dir.resolve("client.key"),
                "PRIVATE KEY",
                clientKeys.getPrivate().getEncoded(),
                true));
        return out;
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private X509Certificate sign(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            KeyPair issuerKeys,
            Duration validity,
            Extensions extensions)
            throws GeneralSecurityException, IOException {
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(127, random),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(validity)),
                subject,
                subjectKeys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(
                Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        builder.addExtension(
                Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
        extensions.add(builder);
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static void leaf(X509v3CertificateBuilder builder, KeyPurposeId purpose) throws IOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }

    private static GeneralNames sans(List<String> names) {
        List<String> all = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        names.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return new GeneralNames(all.stream().map(DevCertificates::generalName).toArray(GeneralName[]::new));
    }

    private static GeneralName generalName(String name) {
        boolean ip = name.contains(":") || name.matches("[0-9.]+");
        if (ip) {
            try {
                // A literal: no lookup happens.
                InetAddress.getByName(name);
            } catch (IOException e) {
                throw new IllegalArgumentException("not an IP address: " + name);
            }
            return new GeneralName(GeneralName.iPAddress, name);
        }
        if (!name.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")) {
            throw new IllegalArgumentException("not a DNS name or IP address: \"" + name + "\"");
        }
        return new GeneralName(GeneralName.dNSName, name);
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), random);
        return gen.generateKeyPair();
    }

    private static Path writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
        Files.deleteIfExists(file);
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }
}
