package dev.ferry.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.transport.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsResolverTest {

    @TempDir
    Path dir;

    private CredentialsResolver resolver(Map<String, String> env) {
        return new CredentialsResolver(env::get, dir);
    }

    @Test
    void referencesResolveFromVariablesFilesAndTokenFilesOfThisWorker() throws Exception {
        Files.writeString(dir.resolve("hub.pw"), "file-Pw-1\n");
        Files.writeString(dir.resolve("hub.token"), " tok-2 \n");
        CredentialsResolver r = resolver(Map.of("HUB_PW", "env-Pw-3"));

        assertThat(r.resolve("hub", null)).isEqualTo(Credentials.anonymous());
        assertThat(r.resolve("hub", new CredentialsRef("ci", "HUB_PW", null, null)))
                .isEqualTo(Credentials.basic("ci", "env-Pw-3"));
        assertThat(r.resolve("hub", new CredentialsRef("ci", null, "hub.pw", null)))
                .isEqualTo(Credentials.basic("ci", "file-Pw-1"));
        assertThat(r.resolve("hub", new CredentialsRef(null, null, null, "hub.token")))
                .isEqualTo(Credentials.bearer("tok-2"));
    }

    @Test
    void errorsNameTheVariableOrFileButNeverTheSecret() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pw"), "  \n");
        CredentialsResolver r = resolver(Map.of("SET_PW", "never-Shown-7"));

        assertThatThrownBy(() -> r.resolve("hub", new CredentialsRef("ci", "MISSING_PW", null, null)))
                .hasMessageContaining("registry hub")
                .hasMessageContaining("MISSING_PW");
        assertThatThrownBy(() -> r.resolve("hub", new CredentialsRef("ci", null, "absent.pw", null)))
                .hasMessageContaining(dir.resolve("absent.pw").toString())
                .hasMessageContaining("NoSuchFileException");
        assertThatThrownBy(() -> r.resolve("hub", new CredentialsRef("ci", null, "empty.pw", null)))
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> r.resolve("hub", new CredentialsRef(null, "SET_PW", null, null)))
                .hasMessageContaining("username")
                .hasMessageNotContaining("never-Shown-7");
        assertThatThrownBy(() -> r.resolve("hub", new CredentialsRef("ci", null, null, null)))
                .hasMessageContaining("no password source");
    }
}
