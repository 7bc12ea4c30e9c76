package dev.ferry.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiSecurityTest {

  private static Schedule schedule(String api) {
    return ScheduleLoader.parse("ferry.yaml", """
        version: 1
        registries:
          - { name: hub, url: https://hub.example.com }
        """ + api, Path.of("."));
  }

  @Test
  @DisplayName("without tokens (dev mode) the API binds to loopback and refuses any other address")
  void devModeIsLoopbackOnly() {
    Schedule none = schedule("");
    assertThat(ApiSecurity.load(none, "127.0.0.1", 0, null, Clock.systemUTC()).authenticator().devMode()).isTrue();
    assertThat(ApiSecurity.load(none, "localhost", 0, null, Clock.systemUTC()).loopback()).isTrue();
    assertThat(ApiSecurity.load(none, "[::1]", 0, null, Clock.systemUTC()).loopback()).isTrue();
    assertThatThrownBy(() -> ApiSecurity.load(none, "0.0.0.0", 0, null, Clock.systemUTC()))
        .hasMessageContaining("refusing to serve the control API on 0.0.0.0").hasMessageContaining("api.tokens");

    Schedule withToken = schedule("""
        api:
          tokens: [ { name: ci, role: viewer, sha256: %s } ]
        """.formatted("a".repeat(64)));
    ApiSecurity open = ApiSecurity.load(withToken, "0.0.0.0", 0, null, Clock.systemUTC());
    assertThat(open.authenticator().devMode()).isFalse();
    assertThat(open.loopback()).isFalse();
  }

  @Test
  @DisplayName("a missing TLS or key file is named by its field")
  void missingFiles() {
    Schedule tls = schedule("""
        api:
          tls: { cert: /nonexistent/server.crt, key: /nonexistent/server.key }
        """);
    assertThatThrownBy(() -> ApiSecurity.load(tls, "127.0.0.1", 0, null, Clock.systemUTC()))
        .hasMessageContaining("api.tls.cert").hasMessageContaining("/nonexistent/server.crt");
    Schedule key = schedule("""
        api:
          tokenKeyFile: /nonexistent/token.key
        """);
    assertThatThrownBy(() -> ApiSecurity.load(key, "127.0.0.1", 0, null, Clock.systemUTC()))
        .hasMessageContaining("api.tokenKeyFile");
  }
}
