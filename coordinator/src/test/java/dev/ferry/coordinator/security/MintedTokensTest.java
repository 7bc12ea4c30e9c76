package dev.ferry.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MintedTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private static MintedTokens at(Instant when, byte[] key) {
        return new MintedTokens(key, Clock.fixed(when, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    @DisplayName("a minted token names its holder and role until it expires, then is refused as expired")
    void expires() {
        MintedTokens.Minted minted = at(NOW, KEY).mint("deploy-bot", Role.OPERATOR, Duration.ofMinutes(30));

        assertThat(minted.expires()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        Verdict fresh = at(NOW.plusSeconds(1799), KEY).check(minted.token());
        assertThat(fresh.caller()).isEqualTo(new Caller("deploy-bot", Role.OPERATOR));
        assertThat(at(NOW.plusSeconds(1800), KEY).check(minted.token())).isEqualTo(Verdict.EXPIRED);
    }

    @Test
    @DisplayName("a token with a changed role or expiry, or signed with another key, is refused")
    void tamperingIsRefused() {
        String token =
                at(NOW, KEY).mint("bot", Role.VIEWER, Duration.ofHours(1)).token();
        MintedTokens checker = at(NOW, KEY);

        assertThat(checker.check(token.replace(".viewer.", ".admin."))).isEqualTo(Verdict.UNKNOWN);
        String[] parts = token.split("\\.");
        parts[2] = String.valueOf(Long.parseLong(parts[2]) + 86_400);
        assertThat(checker.check(String.join(".", parts))).isEqualTo(Verdict.UNKNOWN);
        byte[] otherKey = KEY.clone();
        otherKey[0] = 8;
        assertThat(at(NOW, otherKey).check(token)).isEqualTo(Verdict.UNKNOWN);
        assertThat(checker.check(token).accepted()).isTrue();
    }

    @Test
    @DisplayName("minting refuses short keys, long lifetimes and bad names; toString hides the token")
    void limits() {
        assertThatThrownBy(() -> at(NOW, new byte[16])).hasMessageContaining("at least 32");
        assertThatThrownBy(() -> at(NOW, KEY).mint("bot", Role.ADMIN, Duration.ofDays(8)))
                .hasMessageContaining("7 days");
        assertThatThrownBy(() -> at(NOW, KEY).mint("a.b", Role.ADMIN, Duration.ofHours(1)))
                .hasMessageContaining("invalid token name");
        MintedTokens.Minted minted = at(NOW, KEY).mint("bot", Role.ADMIN, Duration.ofHours(1));
        assertThat(minted.toString()).doesNotContain(minted.token());
    }
}
