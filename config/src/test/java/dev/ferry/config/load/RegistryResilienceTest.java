package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.CircuitBreakerConfig;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RetryConfig;
import dev.ferry.config.model.TimeoutsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A registry's retry, circuitBreaker and timeouts blocks: defaults, partial blocks, and precise errors. */
class RegistryResilienceTest {

    private static String schedule(String registryLines) {
        return """
        version: 1
        registries:
          - name: hub
            url: https://hub.example.com
        %s
        """.formatted(registryLines.indent(4).stripTrailing());
    }

    private static RegistryConfig hub(String registryLines) {
        return ScheduleLoader.parse("test.yaml", schedule(registryLines), Path.of("."))
                .registry("hub")
                .orElseThrow();
    }

    private static List<String> problems(String registryLines) {
        try {
            ScheduleLoader.parse("test.yaml", schedule(registryLines), Path.of("."));
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void aRegistryWithoutBlocksGetsTheDefaults() {
        RegistryConfig r = hub("");

        assertThat(r.retry()).isEqualTo(new RetryConfig(5, Duration.ofMillis(500), Duration.ofSeconds(30)));
        assertThat(r.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(50, 5, Duration.ofSeconds(30)));
        assertThat(r.timeouts())
                .isEqualTo(new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(2)));
    }

    @Test
    void eachBlockMaySetOnlyWhatItChanges() {
        RegistryConfig r = hub("""
        retry: { maxAttempts: 3 }
        circuitBreaker: { openFor: 1m, failureRateThreshold: 80 }
        timeouts: { idle: 5m }
        """);

        assertThat(r.retry()).isEqualTo(new RetryConfig(3, Duration.ofMillis(500), Duration.ofSeconds(30)));
        assertThat(r.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(80, 5, Duration.ofMinutes(1)));
        assertThat(r.timeouts())
                .isEqualTo(new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5)));
    }

    @Test
    void everyFieldIsRead() {
        RegistryConfig r = hub("""
        retry: { maxAttempts: 7, initialBackoff: 2s, maxBackoff: 2m }
        circuitBreaker: { failureRateThreshold: 25, minimumCalls: 20, openFor: 10s }
        timeouts: { connect: 3s, firstByte: 20s, idle: 45s }
        """);

        assertThat(r.retry()).isEqualTo(new RetryConfig(7, Duration.ofSeconds(2), Duration.ofMinutes(2)));
        assertThat(r.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(25, 20, Duration.ofSeconds(10)));
        assertThat(r.timeouts())
                .isEqualTo(new TimeoutsConfig(Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofSeconds(45)));
    }

    @Test
    void outOfRangeNumbersAreReportedAtTheirField() {
        assertThat(problems("""
        retry: { maxAttempts: 0 }
        circuitBreaker: { failureRateThreshold: 101, minimumCalls: 0 }
        """))
                .containsExactly(
                        "test.yaml:5:27: registries[0].retry.maxAttempts: must be between 1 and 20, got 0",
                        "test.yaml:6:45: registries[0].circuitBreaker.failureRateThreshold: must be between 1 and 100, got 101",
                        "test.yaml:6:64: registries[0].circuitBreaker.minimumCalls: must be between 1 and 1000, got 0");
    }

    @Test
    void durationsAreCheckedForFormAndMinimum() {
        assertThat(problems("""
        circuitBreaker: { openFor: 500ms }
        timeouts: { connect: soon, idle: 10ms }
        """))
                .containsExactly(
                        "test.yaml:5:32: registries[0].circuitBreaker.openFor: must be at least 1s, got 500ms",
                        "test.yaml:6:26: registries[0].timeouts.connect: invalid duration \"soon\" at \"soon\": write numbers"
                                + " with units ms, s, m, h, d, e.g. 30s, 5m or 1h30m",
                        "test.yaml:6:38: registries[0].timeouts.idle: must be at least 1s, got 10ms");
    }

    @Test
    void aMaxBackoffBelowTheInitialBackoffIsRefused() {
        assertThat(problems("retry: { initialBackoff: 10s, maxBackoff: 2s }"))
                .containsExactly(
                        "test.yaml:5:47: registries[0].retry.maxBackoff: maxBackoff (2s) must be at least initialBackoff (10s)");
    }

    @Test
    void anUnknownFieldInABlockIsNamedWithASuggestion() {
        assertThat(problems("retry: { maxAttempt: 3 }"))
                .singleElement()
                .asString()
                .startsWith("test.yaml:5:14: registries[0].retry.maxAttempt: unknown field \"maxAttempt\" in retry"
                        + " registries[0].retry")
                .contains("maxAttempts");
    }

    @Test
    void anOciLayoutTakesNoResilienceBlocks() {
        String yaml = """
        version: 1
        registries:
          - name: usb
            url: oci:/media/usb
            retry: { maxAttempts: 2 }
            timeouts: { connect: 1s }
        """;
        try {
            ScheduleLoader.parse("test.yaml", yaml, Path.of("."));
            throw new AssertionError("expected problems");
        } catch (ConfigException e) {
            assertThat(e.problems().stream().map(ConfigProblem::toString))
                    .containsExactly(
                            "test.yaml:5:12: registries[0].retry: an OCI layout directory (oci:) takes no retry",
                            "test.yaml:6:15: registries[0].timeouts: an OCI layout directory (oci:) takes no timeouts");
        }
    }
}
