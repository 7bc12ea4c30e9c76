package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.config.model.ApiToken;
import dev.ferry.config.model.Schedule;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiTokensLoaderTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static Schedule load(String api) {
        return ScheduleLoader.parse("ferry.yaml", """
        version: 1
        registries:
          - { name: hub, url: https://hub.example.com }
        """ + api, Path.of("."));
    }

    private static List<String> problems(String api) {
        ConfigException e = catchThrowableOfType(() -> load(api), ConfigException.class);
        assertThat(e).as("the schedule should be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    @DisplayName("api.tokens, api.tokenKeyFile and api.tls.clientCa load")
    void loads() {
        Schedule s = load("""
        api:
          listen: 0.0.0.0:8443
          tls: { cert: tls/server.crt, key: tls/server.key, clientCa: tls/ca.crt }
          tokenKeyFile: token.key
          tokens:
            - { name: ci, role: operator, sha256: %s, expires: "2027-01-31T00:00:00Z" }
            - { name: w1, role: worker, sha256: %s }
        """.formatted(HASH, HASH.replace('9', '8')));

        assertThat(s.api().tokens())
                .containsExactly(
                        new ApiToken("ci", "operator", HASH, Instant.parse("2027-01-31T00:00:00Z")),
                        new ApiToken("w1", "worker", HASH.replace('9', '8'), null));
        assertThat(s.api().tlsClientCa()).isEqualTo("tls/ca.crt");
        assertThat(s.api().tokenKeyFile()).isEqualTo("token.key");
    }

    @Test
    @DisplayName("bad token entries are named by file, line and field, and a pasted token is never echoed")
    void badEntries() {
        List<String> problems = problems("""
        api:
          tokens:
            - { name: ci, role: root, sha256: fyt_secretTokenText }
            - { name: ci, role: viewer, sha256: %s, expires: tomorrow }
        """.formatted(HASH));

        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("ferry.yaml:6:")
                        .contains("role")
                        .contains("unknown role \"root\""));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith("ferry.yaml:6:").contains("sha256"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith("ferry.yaml:7:").contains("unique"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("expires").contains("ISO-8601"));
        assertThat(String.join("\n", problems)).doesNotContain("fyt_secretTokenText");
    }
}
