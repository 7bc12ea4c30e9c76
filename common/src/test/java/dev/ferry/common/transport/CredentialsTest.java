package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialsTest {

    @Test
    void toStringNeverShowsThePassword() {
        Credentials c = Credentials.basic("robot$ci", "s3cr3t-Pa55w0rd");

        assertThat(c.toString()).doesNotContain("s3cr3t-Pa55w0rd").contains("robot$ci");
    }

    @Test
    void toStringHidesTokensUsedAsPasswords() {
        String token = "ghp_" + "A1b2C3d4".repeat(5);
        Credentials c = Credentials.parse("me:" + token);

        assertThat(c.toString()).doesNotContain(token).doesNotContain(token.substring(4, 20));
        assertThat(String.valueOf(c)).doesNotContain(token);
        assertThat("creds=" + c).doesNotContain(token);
    }

    @Test
    void anonymousSaysSo() {
        assertThat(Credentials.anonymous().isAnonymous()).isTrue();
        assertThat(Credentials.anonymous()).hasToString("anonymous");
        assertThat(Credentials.basic("u", "p").isAnonymous()).isFalse();
    }

    @Test
    void parseSplitsAtTheFirstColonOnly() {
        Credentials c = Credentials.parse("u:p:q");

        assertThat(c.username()).isEqualTo("u");
        assertThat(c.password()).isEqualTo("p:q");
    }

    @Test
    void parseAllowsAnEmptyPassword() {
        Credentials c = Credentials.parse("user:");

        assertThat(c.username()).isEqualTo("user");
        assertThat(c.password()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nocolon", ":password", ""})
    void parseRefusesAMissingUserOrColon(String value) {
        assertThatThrownBy(() -> Credentials.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USER:PASSWORD");
    }

    @Test
    void parseErrorDoesNotEchoTheSecret() {
        assertThatThrownBy(() -> Credentials.parse(":hunter2"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void basicRefusesAnEmptyUsername() {
        assertThatThrownBy(() -> Credentials.basic("", "p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Credentials.basic(null, "p")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void basicTurnsANullPasswordIntoEmpty() {
        assertThat(Credentials.basic("u", null).password()).isEmpty();
    }

    @Test
    void basicHeaderIsRfc7617() {
        // The example from RFC 7617 section 2.
        assertThat(Credentials.basic("Aladdin", "open sesame").basicHeader())
                .isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    @Test
    void basicHeaderDecodesToUserColonPassword() {
        Credentials c = Credentials.parse("u:p:q");
        String header = c.basicHeader();

        assertThat(header).startsWith("Basic ");
        String decoded =
                new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("u:p:q");
    }

    @Test
    void basicHeaderEncodesUtf8() {
        String header = Credentials.basic("us\u00e9r", "p\u00e4ss").basicHeader();
        byte[] decoded = Base64.getDecoder().decode(header.substring(6));

        assertThat(decoded).isEqualTo("us\u00e9r:p\u00e4ss".getBytes(StandardCharsets.UTF_8));
    }
}
