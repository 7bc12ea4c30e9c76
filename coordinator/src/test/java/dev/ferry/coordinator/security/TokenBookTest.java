package dev.ferry.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.ApiToken;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenBookTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    @DisplayName("a listed token is known by its hash; unknown and expired tokens are refused")
    void lookup() {
        String ci = TokenHash.newToken(new SecureRandom());
        String old = TokenHash.newToken(new SecureRandom());
        TokenBook book = new TokenBook(
                List.of(
                        new ApiToken("ci", "operator", TokenHash.sha256(ci), null),
                        new ApiToken("old", "admin", TokenHash.sha256(old), NOW)),
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(book.check(ci).caller()).isEqualTo(new Caller("ci", Role.OPERATOR));
        assertThat(book.check(old)).isEqualTo(Verdict.EXPIRED);
        assertThat(book.check(ci + "x")).isEqualTo(Verdict.UNKNOWN);
        assertThat(book.check(TokenHash.sha256(ci)))
                .as("the hash itself is not a token")
                .isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    @DisplayName("tokens are 32 random bytes with a recognisable prefix, hashed as lower-case hex SHA-256")
    void format() {
        String token = TokenHash.newToken(new SecureRandom());
        assertThat(token).startsWith("fyt_").hasSize(4 + 43);
        assertThat(TokenHash.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    @DisplayName("roles nest admin > operator > viewer; worker reaches only the lease protocol")
    void roles() {
        assertThat(Role.ADMIN.permits(dev.ferry.coordinator.security.Access.OPERATOR))
                .isTrue();
        assertThat(Role.OPERATOR.permits(dev.ferry.coordinator.security.Access.VIEWER))
                .isTrue();
        assertThat(Role.OPERATOR.permits(dev.ferry.coordinator.security.Access.ADMIN))
                .isFalse();
        assertThat(Role.ADMIN.permits(dev.ferry.coordinator.security.Access.WORKER))
                .isFalse();
        assertThat(Role.WORKER.permits(dev.ferry.coordinator.security.Access.VIEWER))
                .isFalse();
        assertThat(Role.WORKER.permits(dev.ferry.coordinator.security.Access.WORKER))
                .isTrue();
    }
}
