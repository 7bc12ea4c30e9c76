package dev.ferry.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds compact ES256 JWS tokens whose header carries the signing certificate in {@code x5c}, the
 * form distribution's token authentication verifies against its {@code rootcertbundle}.
 */
public final class JwtSigner {

    private final SigningIdentity identity;
    private final ObjectMapper json;

    public JwtSigner(SigningIdentity identity, ObjectMapper json) {
        this.identity = identity;
        this.json = json;
    }

    public String sign(ObjectNode claims) {
        ObjectNode header = json.createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        header.putArray("x5c").add(identity.certificateBase64Der());
        String signingInput = base64Url(bytes(header)) + "." + base64Url(bytes(claims));
        byte[] signature = identity.signEs256(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(signature);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
