package dev.ferry.common.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any text given as an image reference either parses or is refused with
 * {@link InvalidReferenceException}; and a parsed reference, printed, parses back to itself.
 * Seeds and past findings: {@code src/test/resources/.../ReferenceFuzzTestInputs/parse/}.
 */
class ReferenceFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Reference ref;
        try {
            ref = Reference.parse(text);
        } catch (InvalidReferenceException e) {
            assertThat(e.getMessage()).startsWith("invalid reference");
            return;
        }
        assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
    }
}
