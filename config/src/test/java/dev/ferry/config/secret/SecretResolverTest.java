package dev.ferry.config.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.transport.Credentials;
import dev.ferry.config.model.CredentialsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {

    private static final String SECRET = "Sup3r-Secret-Value-42";

    @Test
    void passwordFromTheEnvironmentIsResolvedWhenAsked(@TempDir Path dir) {
        SecretResolver r = new SecretResolver(Map.of("HUB_PASSWORD", SECRET)::get, dir);

        Credentials c = r.resolve("hub", new CredentialsConfig("ci", "HUB_PASSWORD", null, null));

        assertThat(c.username()).isEqualTo("ci");
        assertThat(c.password()).isEqualTo(SECRET);
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @Test
    void passwordAndTokenFilesAreReadRelativeToTheSchedule(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pw"), SECRET + "\n");
        Files.writeString(dir.resolve("token"), "tok-" + SECRET + "\n");
        SecretResolver r = new SecretResolver(Map.<String, String>of()::get, dir);

        assertThat(r.resolve("hub", new CredentialsConfig("ci", null, "pw", null))
                        .password())
                .isEqualTo(SECRET);
        Credentials bearer = r.resolve("hub", new CredentialsConfig(null, null, null, "token"));
        assertThat(bearer.token()).isEqualTo("tok-" + SECRET);
        assertThat(bearer.toString()).doesNotContain(SECRET);
    }

    @Test
    void missingVariableIsNamedAndNoValueLeaks(@TempDir Path dir) {
        SecretResolver r = new SecretResolver(Map.of("OTHER", SECRET)::get, dir);

        assertThatThrownBy(() -> r.resolve("hub", new CredentialsConfig("ci", "HUB_PASSWORD", null, null)))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("HUB_PASSWORD")
                .hasMessageContaining("hub")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void missingOrEmptyFileIsNamed(@TempDir Path dir) throws Exception {
        SecretResolver r = new SecretResolver(Map.<String, String>of()::get, dir);
        Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> r.resolve("hub", new CredentialsConfig("ci", null, "nope", null)))
                .hasMessageContaining("passwordFile")
                .hasMessageContaining(dir.resolve("nope").toString());
        assertThatThrownBy(() -> r.resolve("hub", new CredentialsConfig(null, null, null, "empty")))
                .hasMessageContaining("tokenFile")
                .hasMessageContaining("is empty");
    }

    @Test
    void noCredentialsMeansAnonymous(@TempDir Path dir) {
        assertThat(new SecretResolver(Map.<String, String>of()::get, dir)
                        .resolve("hub", null)
                        .isAnonymous())
                .isTrue();
    }
}
