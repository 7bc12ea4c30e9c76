package dev.ferry.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.testing.CosignSigner;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {

    private static final Digest IMAGE = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    private static final Digest OTHER = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));

    private final CosignSigner signer = CosignSigner.ecdsaP256();
    private final CosignKey key = CosignKey.fromPem(signer.publicKeyPem());
    private final SignatureCheck check = new SignatureCheck(List.of(key));

    private String signatureOf(byte[] payload) {
        return Base64.getEncoder().encodeToString(signer.sign(payload));
    }

    @Test
    void aPayloadForTheImageSignedWithThePolicyKeyIsAdmitted() {
        byte[] payload = CosignSigner.payload("r/app", IMAGE.toString());

        assertThat(check.check(IMAGE, payload, signatureOf(payload))).isSameAs(key);
    }

    @Test
    void anotherKeyAmongSeveralMayVerify() {
        CosignSigner ed = CosignSigner.ed25519();
        SignatureCheck two = new SignatureCheck(List.of(key, CosignKey.fromPem(ed.publicKeyPem())));
        byte[] payload = CosignSigner.payload("r/app", IMAGE.toString());

        assertThat(two.check(IMAGE, payload, Base64.getEncoder().encodeToString(ed.sign(payload)))
                        .type())
                .isEqualTo(CosignKey.Type.ED25519);
    }

    @Test
    void aPayloadForAnotherDigestIsRejectedNamingBoth() {
        byte[] payload = CosignSigner.payload("r/app", OTHER.toString());

        assertThatThrownBy(() -> check.check(IMAGE, payload, signatureOf(payload)))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessage("the signature is for " + OTHER + ", not for " + IMAGE);
    }

    @Test
    void aSignatureByAnotherKeyIsRejected() {
        byte[] payload = CosignSigner.payload("r/app", IMAGE.toString());
        String foreign =
                Base64.getEncoder().encodeToString(CosignSigner.ecdsaP256().sign(payload));

        assertThatThrownBy(() -> check.check(IMAGE, payload, foreign))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessage("the signature does not verify with the policy's key " + key.id());
    }

    @Test
    void changedPayloadBytesAreRejectedEvenWhenTheyMeanTheSame() {
        byte[] payload = CosignSigner.payload("r/app", IMAGE.toString());
        String signature = signatureOf(payload);
        byte[] reformatted = (new String(payload, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> check.check(IMAGE, reformatted, signature))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void badBase64AndAMissingAnnotationAreRejected() {
        byte[] payload = CosignSigner.payload("r/app", IMAGE.toString());

        assertThatThrownBy(() -> check.check(IMAGE, payload, "not*base64"))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("is not valid base64");
        assertThatThrownBy(() -> check.check(IMAGE, payload, null))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("has no dev.cosignproject.cosign/signature");
    }

    @Test
    void aSignedPayloadOfAnotherTypeIsRejected() {
        byte[] payload =
                ("{\"critical\":{\"type\":\"atomic container signature\",\"image\":{\"docker-manifest-digest\":\""
                                + IMAGE + "\"}}}")
                        .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> check.check(IMAGE, payload, signatureOf(payload)))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageContaining("critical.type is \"atomic container signature\"");
    }

    @Test
    void signedBytesThatAreNotJsonOrLackADigestAreRejected() {
        byte[] notJson = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] noDigest = "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{}}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> check.check(IMAGE, notJson, signatureOf(notJson)))
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> check.check(IMAGE, noDigest, signatureOf(noDigest)))
                .hasMessageContaining("docker-manifest-digest \"\" is not a digest");
    }
}
