package dev.ferry.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testing.CosignSigner;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CosignKeyTest {

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label
                + "-----\n";
    }

    @Test
    void ecdsaP256AndEd25519PublicKeysAreRecognised() {
        assertThat(CosignKey.fromPem(CosignSigner.ecdsaP256().publicKeyPem()).type())
                .isEqualTo(CosignKey.Type.ECDSA_P256);
        assertThat(CosignKey.fromPem(CosignSigner.ed25519().publicKeyPem()).type())
                .isEqualTo(CosignKey.Type.ED25519);
    }

    @Test
    void aKeyVerifiesItsOwnSignatureOnlyOverTheSameBytes() {
        CosignSigner signer = CosignSigner.ecdsaP256();
        CosignKey key = CosignKey.fromPem(signer.publicKeyPem());
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(data);

        assertThat(key.verifies(data, signature)).isTrue();
        assertThat(key.verifies("payloaD".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(key.verifies(data, new byte[] {1, 2, 3})).isFalse();
    }

    @Test
    void anEd25519SignatureDoesNotVerifyWithAnEcdsaKeyAndViceVersa() {
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        CosignSigner ed = CosignSigner.ed25519();
        CosignSigner ec = CosignSigner.ecdsaP256();

        assertThat(CosignKey.fromPem(ec.publicKeyPem()).verifies(data, ed.sign(data)))
                .isFalse();
        assertThat(CosignKey.fromPem(ed.publicKeyPem()).verifies(data, ec.sign(data)))
                .isFalse();
        assertThat(CosignKey.fromPem(ed.publicKeyPem()).verifies(data, ed.sign(data)))
                .isTrue();
    }

    @Test
    void rsaAndOtherCurvesAreRefusedByName() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        String rsaPem = pem("PUBLIC KEY", rsa.generateKeyPair().getPublic().getEncoded());
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        String p384Pem = pem("PUBLIC KEY", p384.generateKeyPair().getPublic().getEncoded());

        assertThatThrownBy(() -> CosignKey.fromPem(rsaPem))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("is a RSA key; supported are ECDSA P-256 and Ed25519");
        assertThatThrownBy(() -> CosignKey.fromPem(p384Pem))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("curve other than P-256");
    }

    @Test
    void aPrivateKeyIsRefusedWithoutQuotingIt() {
        String secret = pem("PRIVATE KEY", "very-secret-key-material".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> CosignKey.fromPem(secret))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("holds a private key")
                .hasMessageNotContaining(secret.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void textThatIsNotAPemPublicKeyIsRefused() {
        assertThatThrownBy(() -> CosignKey.fromPem("hello")).hasMessageContaining("is not a PEM public key");
        assertThatThrownBy(() -> CosignKey.fromPem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> CosignKey.fromPem(pem("PUBLIC KEY", new byte[] {1, 2, 3})))
                .hasMessageContaining("not a DER SubjectPublicKeyInfo");
        assertThatThrownBy(() -> CosignKey.fromPem(pem("CERTIFICATE", new byte[] {1})))
                .hasMessageContaining("certificates and keyless signing are not supported");
    }
}
