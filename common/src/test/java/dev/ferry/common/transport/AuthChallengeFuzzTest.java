package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Any {@code WWW-Authenticate} header a registry sends either gives a challenge with a scheme, or
 * is refused with {@link IllegalArgumentException} (the registry's auth then fails clearly).
 */
class AuthChallengeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String header = new String(input, StandardCharsets.ISO_8859_1);
        AuthChallenge c;
        try {
            c = AuthChallenge.parse(header);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains("WWW-Authenticate");
            return;
        }
        assertThat(c.scheme()).isNotEmpty().isEqualTo(c.scheme().toLowerCase(Locale.ROOT));
        assertThat(header.toLowerCase(Locale.ROOT)).contains(c.scheme());
    }
}
