package dev.ferry.common.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Reads PEM certificates and private keys (blocking file I/O). Only PEM is accepted, so a DER
 * file or a file of something else is refused with a clear message, never guessed at.
 */
final class PemFiles {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemFiles() {}

    private record Block(String type, byte[] der) {}

    static List<X509Certificate> certificates(String field, String file) throws TlsMaterialException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(field, file)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(
                    field, file + " holds a PEM certificate that cannot be parsed: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new TlsMaterialException(
                    field, file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
        }
        return out;
    }

    static PrivateKey privateKey(String field, String file) throws TlsMaterialException {
        for (Block b : blocks(field, file)) {
            try {
                PrivateKey key = key(field, file, b);
                if (key != null) {
                    return key;
                }
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new TlsMaterialException(
                        field, file + " holds a " + b.type() + " block that cannot be parsed", e);
            }
        }
        throw new TlsMaterialException(
                field,
                file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----,"
                        + " RSA PRIVATE KEY or EC PRIVATE KEY)",
                null);
    }

    private static PrivateKey key(String field, String file, Block b) throws TlsMaterialException, IOException {
        switch (b.type()) {
            case "PRIVATE KEY":
                return pkcs8(field, file, b.der());
            case "RSA PRIVATE KEY":
                return pkcs8(
                        field,
                        file,
                        new PrivateKeyInfo(
                                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                                        ASN1Primitive.fromByteArray(b.der()))
                                .getEncoded());
            case "EC PRIVATE KEY":
                ECPrivateKey ec = ECPrivateKey.getInstance(b.der());
                return pkcs8(
                        field,
                        file,
                        new PrivateKeyInfo(
                                        new AlgorithmIdentifier(
                                                X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()),
                                        ec)
                                .getEncoded());
            case "ENCRYPTED PRIVATE KEY":
                throw new TlsMaterialException(
                        field,
                        file + " holds an encrypted private key; Ferry reads unencrypted"
                                + " keys only (keep the file readable by Ferry alone)",
                        null);
            default:
                return null;
        }
    }

    private static PrivateKey pkcs8(String field, String file, byte[] der) throws TlsMaterialException {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new TlsMaterialException(
                field,
                file + " holds a private key that cannot be read (not RSA, EC or" + " Ed25519, or damaged)",
                null);
    }

    private static List<Block> blocks(String field, String file) throws TlsMaterialException {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(field, file + " does not exist", e);
        } catch (IOException | SecurityException e) {
            throw new TlsMaterialException(
                    field, "cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new TlsMaterialException(field, file + " holds a PEM block that is not valid base64", e);
            }
        }
        if (out.isEmpty()) {
            throw new TlsMaterialException(field, file + " is not PEM (no -----BEGIN ...----- block)", null);
        }
        return out;
    }
}
