package dev.ferry.common.digest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0...}. Only registered algorithms whose
 * hex length is known are accepted, so a digest string is validated once, here.
 */
public record Digest(String algorithm, String hex) {

    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        Algorithm alg = Algorithm.byName(algorithm);
        if (hex.length() != alg.hexLength || !HEX.matcher(hex).matches()) {
            throw new InvalidDigestException("invalid " + algorithm + " digest \"" + algorithm + ":" + hex
                    + "\": expected " + alg.hexLength + " lowercase hex characters, got " + describe(hex));
        }
    }

    /** Parses {@code algorithm:hex}. */
    @JsonCreator
    public static Digest parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidDigestException("digest is empty");
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new InvalidDigestException(
                    "invalid digest \"" + value + "\": expected ALGORITHM:HEX such as sha256:<64 hex>");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    /** The sha256 digest of a byte array. */
    public static Digest sha256(byte[] bytes) {
        return new Digest(
                "sha256",
                HexFormat.of().formatHex(Algorithm.SHA256.newMessageDigest().digest(bytes)));
    }

    public Algorithm algorithmInfo() {
        return Algorithm.byName(algorithm);
    }

    /** The form used by the OCI referrers tag fallback: {@code sha256-<hex>}. */
    public String asTag() {
        return algorithm + "-" + hex;
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    private static String describe(String hex) {
        if (!HEX.matcher(hex).matches()) {
            return "non-hex or uppercase characters";
        }
        return hex.length() + " characters";
    }

    /** Registered digest algorithms. */
    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String label;
        private final String jcaName;
        private final int hexLength;

        Algorithm(String label, String jcaName, int hexLength) {
            this.label = label;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public static Algorithm byName(String name) {
            for (Algorithm a : values()) {
                if (a.label.equals(name)) {
                    return a;
                }
            }
            throw new InvalidDigestException(
                    "unsupported digest algorithm \"" + name + "\" (supported: sha256, sha512)");
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jcaName + " missing from the JVM", e);
            }
        }

        public String label() {
            return label;
        }
    }
}
