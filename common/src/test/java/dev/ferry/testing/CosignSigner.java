package dev.ferry.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Signs images the way {@code cosign sign --key} stores signatures, with Bouncy Castle and
 * independent of Ferry's verifier: a simple-signing payload, signed (ECDSA P-256 with SHA-256
 * as DER, or Ed25519), pushed as the layer of a manifest under {@code sha256-<hex>.sig}.
 *
 * <pre>{@code
 * CosignSigner signer = CosignSigner.ecdsaP256();
 * signer.writePublicKey(dir.resolve("release.pub"));
 * signer.signImage(registry, "team/app", image.digest());
 * }</pre>
 *
 * The private key stays in memory and is never printed ({@link #toString()} shows the type only).
 */
public final class CosignSigner {

    public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String type;
    private final AsymmetricCipherKeyPair keys;

    private CosignSigner(String type, AsymmetricCipherKeyPair keys) {
        this.type = type;
        this.keys = keys;
    }

    public static CosignSigner ecdsaP256() {
        X9ECParameters curve = SECNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
        ECDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, curve);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, new SecureRandom()));
        return new CosignSigner("ecdsa-p256", generator.generateKeyPair());
    }

    public static CosignSigner ed25519() {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return new CosignSigner("ed25519", generator.generateKeyPair());
    }

    /** The public key as PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo), as in {@code cosign.pub}. */
    public String publicKeyPem() {
        try {
            byte[] der = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keys.getPublic())
                    .getEncoded();
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path writePublicKey(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, publicKeyPem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This key's signature over exactly {@code data}. */
    public byte[] sign(byte[] data) {
        AsymmetricKeyParameter privateKey = keys.getPrivate();
        Signer signer = "ed25519".equals(type)
                ? new Ed25519Signer()
                : new DSADigestSigner(new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())), new SHA256Digest());
        signer.init(true, privateKey);
        signer.update(data, 0, data.length);
        try {
            return signer.generateSignature();
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** A simple-signing payload vouching for {@code manifestDigest} under {@code dockerReference}. */
    public static byte[] payload(String dockerReference, String manifestDigest) {
        Map<String, Object> critical = new LinkedHashMap<>();
        critical.put("identity", Map.of("docker-reference", dockerReference));
        critical.put("image", Map.of("docker-manifest-digest", manifestDigest));
        critical.put("type", "cosign container image signature");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("critical", critical);
        root.put("optional", null);
        return json(root);
    }

    /** Signs {@code digest} in {@code repository} and pushes the signature under its {@code .sig} tag. */
    public String signImage(RegistryProcess registry, String repository, String digest) {
        return signImageClaiming(registry, repository, digest, digest);
    }

    /**
     * Pushes, under {@code digest}'s {@code .sig} tag, a valid signature by this key whose payload
     * names {@code claimedDigest} (another image, to test that the gate compares digests).
     *
     * @return the digest of the signature manifest
     */
    public String signImageClaiming(RegistryProcess registry, String repository, String digest, String claimedDigest) {
        byte[] payload = payload(registry.host() + "/" + repository, claimedDigest);
        String signature = Base64.getEncoder().encodeToString(sign(payload));
        return CosignArtifacts.forRegistry(registry)
                .pushUnderTag(
                        repository,
                        signatureTag(digest),
                        SIMPLE_SIGNING,
                        payload,
                        Map.of(SIGNATURE_ANNOTATION, signature));
    }

    /**
     * Stores a signature of {@code digest} as an OCI 1.1 referrer (artifact type
     * {@code application/vnd.dev.cosign.artifact.sig.v1+json}, as cosign's experimental OCI 1.1
     * mode does) instead of under the {@code .sig} tag, listed in the {@code sha256-<hex>} index.
     *
     * @return the referrer's descriptor as listed
     */
    public Map<String, Object> signImageAsReferrer(
            RegistryProcess registry, String repository, String digest, String mediaType, long size) {
        byte[] payload = payload(registry.host() + "/" + repository, digest);
        String signature = Base64.getEncoder().encodeToString(sign(payload));
        return CosignArtifacts.forRegistry(registry)
                .pushReferrer(
                        repository,
                        digest,
                        mediaType,
                        size,
                        "application/vnd.dev.cosign.artifact.sig.v1+json",
                        SIMPLE_SIGNING,
                        payload,
                        Map.of(SIGNATURE_ANNOTATION, signature),
                        java.util.List.of());
    }

    /** {@code sha256-<hex>.sig}: where cosign keeps the signatures of {@code digest}. */
    public static String signatureTag(String digest) {
        return digest.replace(':', '-') + ".sig";
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "CosignSigner[" + type + "]";
    }
}
