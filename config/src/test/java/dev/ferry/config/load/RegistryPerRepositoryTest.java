package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A registry's maxConcurrencyPerRepository: absent, set, and out of range with its position. */
class RegistryPerRepositoryTest {

    private static String schedule(String line) {
        return """
        version: 1
        registries:
          - name: hub
            url: https://hub.example.com
            %s
        """.formatted(line);
    }

    private static List<String> problems(String line) {
        try {
            ScheduleLoader.parse("test.yaml", schedule(line), Path.of("."));
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void absentLeavesTheCoordinatorsDefaultAndSetIsKept() {
        assertThat(ScheduleLoader.parse("test.yaml", schedule("region: eu"), Path.of("."))
                        .registry("hub")
                        .orElseThrow()
                        .maxConcurrencyPerRepository())
                .isNull();
        assertThat(ScheduleLoader.parse("test.yaml", schedule("maxConcurrencyPerRepository: 8"), Path.of("."))
                        .registry("hub")
                        .orElseThrow()
                        .maxConcurrencyPerRepository())
                .isEqualTo(8);
    }

    @Test
    void aValueOutOfRangeOrNotANumberIsNamedWithItsLineAndColumn() {
        assertThat(problems("maxConcurrencyPerRepository: 0"))
                .singleElement()
                .asString()
                .startsWith("test.yaml:5:34:")
                .contains("maxConcurrencyPerRepository");
        assertThat(problems("maxConcurrencyPerRepository: many"))
                .singleElement()
                .asString()
                .startsWith("test.yaml:5:34:")
                .contains("maxConcurrencyPerRepository");
    }
}
