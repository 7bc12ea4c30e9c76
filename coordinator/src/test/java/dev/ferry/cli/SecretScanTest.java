package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SecretScanTest {

    @Test
    @DisplayName("the scan names a leaked secret by label and output, without printing the secret")
    void findsLeaks() {
        SecretScan scan = new SecretScan()
                .secret("api token", "fyt_abcdefgh12345")
                .output("clean log", "nothing here")
                .output("error body", "{\"message\":\"bad fyt_abcdefgh12345\"}");

        assertThatThrownBy(scan::assertNoLeaks)
                .hasMessageContaining("api token appears in error body")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .doesNotContain("fyt_abcdefgh"));
        assertThatCode(new SecretScan().secret("api token", "fyt_abcdefgh12345").output("log", "ok")::assertNoLeaks)
                .doesNotThrowAnyException();
    }
}
