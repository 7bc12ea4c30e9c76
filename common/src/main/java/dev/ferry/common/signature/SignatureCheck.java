package dev.ferry.common.signature;

import dev.ferry.common.digest.Digest;
import java.util.Base64;
import java.util.List;

/**
 * Decides whether one signature layer vouches for an image: the signature (base64) must
 * verify over the exact payload bytes with one of the policy's keys, and the payload must
 * name the image's manifest digest. No I/O; {@link SignatureGate} fetches what it checks.
 */
public final class SignatureCheck {

    private final List<CosignKey> keys;

    public SignatureCheck(List<CosignKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a signature check needs at least one key");
        }
        this.keys = List.copyOf(keys);
    }

    /**
     * @param subject the manifest digest being admitted
     * @param payload the payload blob's bytes, as stored
     * @param signatureBase64 the layer's {@value CosignFormat#SIGNATURE_ANNOTATION} annotation
     * @return the key that verified
     * @throws SignatureRejectedException saying why not
     */
    public CosignKey check(Digest subject, byte[] payload, String signatureBase64) {
        if (signatureBase64 == null || signatureBase64.isBlank()) {
            throw new SignatureRejectedException(
                    "the signature layer has no " + CosignFormat.SIGNATURE_ANNOTATION + " annotation");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new SignatureRejectedException(
                    "the " + CosignFormat.SIGNATURE_ANNOTATION + " annotation is not valid base64");
        }
        CosignKey verifying = keys.stream()
                .filter(k -> k.verifies(payload, signature))
                .findFirst()
                .orElseThrow(() -> new SignatureRejectedException("the signature does not verify with "
                        + (keys.size() == 1
                                ? "the policy's key " + keys.get(0).id()
                                : "any of the policy's " + keys.size() + " keys "
                                        + keys.stream().map(CosignKey::id).toList())));
        SimpleSigningPayload signed = SimpleSigningPayload.parse(payload);
        if (!signed.manifestDigest().equals(subject)) {
            throw new SignatureRejectedException(
                    "the signature is for " + signed.manifestDigest() + ", not for " + subject);
        }
        return verifying;
    }
}
