package dev.ferry.common.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.digest.Digest;
import java.io.IOException;

/**
 * The part of a simple-signing payload the gate relies on: its {@code critical.type} and the
 * manifest digest it vouches for ({@code critical.image.docker-manifest-digest}). The
 * {@code optional} section and the docker-reference are not trusted for anything.
 */
public record SimpleSigningPayload(Digest manifestDigest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws SignatureRejectedException when the bytes are not a container image signature payload */
    public static SimpleSigningPayload parse(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new SignatureRejectedException("the signed payload is not JSON");
        }
        JsonNode critical = root == null ? null : root.get("critical");
        if (critical == null || !critical.isObject()) {
            throw new SignatureRejectedException("the signed payload has no \"critical\" object");
        }
        String type = critical.path("type").asText("");
        if (!CosignFormat.PAYLOAD_TYPE.equals(type)) {
            throw new SignatureRejectedException("the signed payload's critical.type is \"" + type + "\", not \""
                    + CosignFormat.PAYLOAD_TYPE + "\"");
        }
        String digest = critical.path("image").path("docker-manifest-digest").asText("");
        try {
            return new SimpleSigningPayload(Digest.parse(digest));
        } catch (RuntimeException e) {
            throw new SignatureRejectedException(
                    "the signed payload's critical.image.docker-manifest-digest \"" + digest + "\" is not a digest");
        }
    }
}
