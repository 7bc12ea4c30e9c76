package dev.ferry.common.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

    // FIPS 180-2 test vectors.
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String SHA256_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String SHA256_448_BITS = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    private static final String SHA512_ABC = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void sha256OfAbcIsTheFipsVector() {
        assertThat(Digest.sha256(ascii("abc"))).hasToString("sha256:" + SHA256_ABC);
    }

    @Test
    void sha256OfNothingIsTheEmptyVector() {
        assertThat(Digest.sha256(new byte[0]).hex()).isEqualTo(SHA256_EMPTY);
    }

    @Test
    void sha256OfTwoBlockMessageIsTheFipsVector() {
        Digest d = Digest.sha256(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));

        assertThat(d.algorithm()).isEqualTo("sha256");
        assertThat(d.hex()).isEqualTo(SHA256_448_BITS);
    }

    @Test
    void sha512AlgorithmHashesTheFipsVector() {
        byte[] hash = Digest.Algorithm.SHA512.newMessageDigest().digest(ascii("abc"));

        assertThat(HexFormat.of().formatHex(hash)).isEqualTo(SHA512_ABC);
    }

    @Test
    void parsesAlgorithmAndHex() {
        Digest d = Digest.parse("sha256:" + SHA256_ABC);

        assertThat(d.algorithm()).isEqualTo("sha256");
        assertThat(d.hex()).isEqualTo(SHA256_ABC);
        assertThat(d.algorithmInfo()).isEqualTo(Digest.Algorithm.SHA256);
        assertThat(d.algorithmInfo().label()).isEqualTo("sha256");
    }

    @Test
    void formatsBackToTheParsedString() {
        String s = "sha256:" + SHA256_EMPTY;

        assertThat(Digest.parse(s).toString()).isEqualTo(s);
    }

    @Test
    void sha512DigestIsAccepted() {
        Digest d = Digest.parse("sha512:" + SHA512_ABC);

        assertThat(d.algorithmInfo()).isEqualTo(Digest.Algorithm.SHA512);
        assertThat(d).hasToString("sha512:" + SHA512_ABC);
    }

    @Test
    void equalDigestsAreEqualAndHashAlike() {
        Digest a = Digest.parse("sha256:" + SHA256_ABC);
        Digest b = Digest.sha256(ascii("abc"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Digest.sha256(ascii("abd")));
    }

    @Test
    void tagFormReplacesTheColonWithADash() {
        assertThat(Digest.parse("sha256:" + SHA256_ABC).asTag()).isEqualTo("sha256-" + SHA256_ABC);
    }

    @Test
    void rejectsUppercaseHex() {
        String upper = "sha256:" + SHA256_ABC.toUpperCase();

        assertThatThrownBy(() -> Digest.parse(upper))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining(upper)
                .hasMessageContaining("lowercase")
                .hasMessageContaining("uppercase");
    }

    @Test
    void rejectsNonHexCharacters() {
        assertThatThrownBy(() -> Digest.parse("sha256:" + SHA256_ABC.substring(1) + "g"))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("non-hex");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 65, 128})
    void rejectsSha256OfTheWrongLength(int length) {
        String hex = "a".repeat(length);

        assertThatThrownBy(() -> Digest.parse("sha256:" + hex))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("64")
                .hasMessageContaining(length + " characters");
    }

    @Test
    void lengthIsCheckedPerAlgorithm() {
        assertThatThrownBy(() -> Digest.parse("sha512:" + SHA256_ABC))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("128");
    }

    @Test
    void rejectsUnknownAlgorithmListingTheSupportedOnes() {
        assertThatThrownBy(() -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("\"md5\"")
                .hasMessageContaining("sha256")
                .hasMessageContaining("sha512");
    }

    @Test
    void algorithmNameIsCaseSensitive() {
        assertThatThrownBy(() -> Digest.parse("SHA256:" + SHA256_ABC))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("unsupported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", ":" + SHA256_ABC, "sha256:", SHA256_ABC})
    void rejectsStringsThatAreNotAlgorithmColonHex(String value) {
        assertThatThrownBy(() -> Digest.parse(value))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("ALGORITHM:HEX");
    }

    @Test
    void rejectsEmptyAndNull() {
        assertThatThrownBy(() -> Digest.parse(""))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Digest.parse(null))
                .isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void constructorValidatesLikeParse() {
        assertThatThrownBy(() -> new Digest("sha256", "abc")).isInstanceOf(InvalidDigestException.class);
        assertThatThrownBy(() -> new Digest("sha1", "a".repeat(40))).isInstanceOf(InvalidDigestException.class);
    }

    @Test
    void invalidDigestIsAnIllegalArgument() {
        assertThatThrownBy(() -> Digest.parse("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serialisesToAndFromAJsonString() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Digest d = Digest.sha256(ascii("abc"));

        String written = json.writeValueAsString(d);

        assertThat(written).isEqualTo("\"sha256:" + SHA256_ABC + "\"");
        assertThat(json.readValue(written, Digest.class)).isEqualTo(d);
    }

    @Test
    void jsonWithAnInvalidDigestIsRefused() {
        ObjectMapper json = new ObjectMapper();

        assertThatThrownBy(() -> json.readValue("\"sha256:XYZ\"", Digest.class))
                .rootCause()
                .isInstanceOf(InvalidDigestException.class);
    }
}
