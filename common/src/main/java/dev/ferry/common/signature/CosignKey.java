package dev.ferry.common.signature;

import dev.ferry.common.digest.Digest;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * A public key that cosign signatures are checked with: ECDSA on P-256 with SHA-256 (the
 * signature DER-encoded), or Ed25519 over the payload bytes. Built from PEM
 * {@code PUBLIC KEY} (SubjectPublicKeyInfo), as {@code cosign generate-key-pair} writes it.
 */
public final class CosignKey {

    public enum Type {
        ECDSA_P256,
        ED25519
    }

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    private static final Map<String, String> KNOWN_ALGORITHMS =
            Map.of("1.2.840.113549.1.1.1", "RSA", "1.3.101.113", "Ed448", "1.2.840.10040.4.1", "DSA");

    private final Type type;
    private final AsymmetricKeyParameter key;
    private final String id;

    private CosignKey(Type type, AsymmetricKeyParameter key, String id) {
        this.type = type;
        this.key = key;
        this.id = id;
    }

    /**
     * Parses one PEM public key.
     *
     * @throws KeyFormatException naming what is wrong, never quoting the text (it may be a private key)
     */
    public static CosignKey fromPem(String pem) {
        if (pem.contains("PRIVATE KEY-----")) {
            throw new KeyFormatException("holds a private key; give the public key (cosign.pub), and keep the private"
                    + " key out of the schedule");
        }
        if (pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new KeyFormatException("holds a certificate; certificates and keyless signing are not supported, give"
                    + " a PEM public key");
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new KeyFormatException("is not a PEM public key (expected " + BEGIN + " ... " + END + ")");
        }
        String body = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("has a PEM body that is not valid base64");
        }
        return fromDer(der);
    }

    private static CosignKey fromDer(byte[] der) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new KeyFormatException("has a PEM body that is not a DER SubjectPublicKeyInfo");
        }
        if (info == null) {
            throw new KeyFormatException("has an empty PEM body");
        }
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        Type type;
        if (algorithm.equals(ED25519)) {
            type = Type.ED25519;
        } else if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            if (!SECObjectIdentifiers.secp256r1.equals(info.getAlgorithm().getParameters())) {
                throw new KeyFormatException("is an EC key on a curve other than P-256; use ECDSA P-256 or Ed25519");
            }
            type = Type.ECDSA_P256;
        } else {
            String name = KNOWN_ALGORITHMS.getOrDefault(algorithm.getId(), "OID " + algorithm.getId());
            throw new KeyFormatException("is a " + name + " key; supported are ECDSA P-256 and Ed25519");
        }
        try {
            AsymmetricKeyParameter parameter = PublicKeyFactory.createKey(info);
            return new CosignKey(
                    type, parameter, "sha256:" + Digest.sha256(der).hex().substring(0, 12));
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("holds a " + type + " key that cannot be decoded");
        }
    }

    public Type type() {
        return type;
    }

    /** A short fingerprint for messages and logs (a prefix of the key's DER sha256). */
    public String id() {
        return id;
    }

    /** True when {@code signature} is this key's signature over exactly {@code payload}. */
    public boolean verifies(byte[] payload, byte[] signature) {
        Signer signer =
                type == Type.ED25519 ? new Ed25519Signer() : new DSADigestSigner(new ECDSASigner(), new SHA256Digest());
        try {
            signer.init(false, key);
            signer.update(payload, 0, payload.length);
            return signer.verifySignature(signature);
        } catch (RuntimeException e) {
            return false; // a malformed signature (bad DER, wrong length) is simply not a valid one
        }
    }

    @Override
    public String toString() {
        return type + " key " + id;
    }
}
