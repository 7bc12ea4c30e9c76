package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Any schedule text either loads or is refused with {@link ConfigException} whose every problem
 * names {@code fuzz.yaml} and a line: never another exception, a hang or an unclear error.
 */
class ScheduleLoaderFuzzTest {

    private static final Path BASE = Path.of("target", "fuzz-schedule-base");

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            assertThat(ScheduleLoader.parse("fuzz.yaml", text, BASE)).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("fuzz.yaml:");
        }
    }
}
