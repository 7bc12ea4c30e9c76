package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any {@code Link} header a registry sends gives a next URL taken from between its angle brackets,
 * or none; it never throws. A target holding a stray {@code <} (the first finding,
 * {@code crash-0598b2...}) is passed on as written, and the paging's request for it decides.
 */
class LinkHeaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void next(byte[] input) {
        String header = new String(input, StandardCharsets.ISO_8859_1);
        String next = LinkHeader.next(header);
        if (next != null) {
            assertThat(header).contains(next);
            assertThat(next).doesNotContain(">");
        }
    }
}
