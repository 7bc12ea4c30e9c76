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
        assertThat(ApiSecurity.load(none, "127.0.0.1", 0, null, Clock.systemUTC())
                        .authenticator()
                        .devMode())
                .isTrue();
        assertThat(ApiSecurity.load(none, "localhost", 0, null, Clock.systemUTC())
                        .loopback())
                .isTrue();
        assertThat(ApiSecurity.load(none, "[::1]", 0, null, Clock.systemUTC()).loopback())
                .isTrue();
        assertThatThrownBy(() -> ApiSecurity.load(none, "0.0.0.0", 0, null, Clock.systemUTC()))
                .hasMessageContaining("refusing to serve the control API on 0.0.0.0")
                .hasMessageContaining("api.tokens");

        Schedule withToken = schedule("""
        api:
          tokens: [ { name: ci, role: viewer, sha256: %s } ]
        """.formatted("a".repeat(64)));
        ApiSecurity open = ApiSecurity.load(withToken, "0.0.0.0", 0, null, Clock.systemUTC());
        assertThat(open.authenticator().devMode()).isFalse();
        assertThat(open.loopback()).isFalse();
    }

    @Test
    @DisplayName("dev mode logs one warning at start; an API with tokens logs none")
    void devModeWarnsOnce() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ApiSecurity.class);
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            ApiSecurity.load(schedule(""), "127.0.0.1", 0, null, Clock.systemUTC());
            ApiSecurity.load(schedule("""
          api:
            tokens: [ { name: ci, role: viewer, sha256: %s } ]
          """.formatted("b".repeat(64))), "127.0.0.1", 0, null, Clock.systemUTC());
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(e.getFormattedMessage()).contains("dev mode").contains("127.0.0.1");
        });
    }

    @Test
    @DisplayName("a missing TLS or key file is named by its field")
    void missingFiles() {
        Schedule tls = schedule("""
        api:
          tls: { cert: /nonexistent/server.crt, key: /nonexistent/server.key }
        """);
        assertThatThrownBy(() -> ApiSecurity.load(tls, "127.0.0.1", 0, null, Clock.systemUTC()))
                .hasMessageContaining("api.tls.cert")
                .hasMessageContaining("/nonexistent/server.crt");
        Schedule key = schedule("""
        api:
          tokenKeyFile: /nonexistent/token.key
        """);
        assertThatThrownBy(() -> ApiSecurity.load(key, "127.0.0.1", 0, null, Clock.systemUTC()))
                .hasMessageContaining("api.tokenKeyFile");
    }
}
