package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code prewarm:} on a policy and {@code ttl:} on its targets: read, and refused where they make no sense. */
class PrewarmConfigTest {

    private static String schedule(String policyLines) {
        return """
        version: 1
        registries:
          - { name: hub, url: "https://hub.example.com" }
          - { name: edge, url: "https://edge.example.com" }
        policies:
          - name: warm
            source: { registry: hub, repositories: ["apps/*"] }
            trigger: { interval: 5m }
        %s
        """.formatted(policyLines.indent(4).stripTrailing());
    }

    private static List<String> problems(String policyLines) {
        try {
            ScheduleLoader.parse("test.yaml", schedule(policyLines), Path.of("."));
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void aPrewarmingPolicyWithATtlTargetIsRead() {
        Policy p = ScheduleLoader.parse("test.yaml", schedule("""
        targets: [ { registry: edge, ttl: 14d } ]
        prewarm: { topK: 20 }
        """), Path.of("."))
                .policy("warm")
                .orElseThrow();

        assertThat(p.prewarm()).isEqualTo(new PrewarmSpec(20));
        assertThat(p.targets().get(0).ttl()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void anOrdinaryPolicyHasNeither() {
        Policy p = ScheduleLoader.parse("test.yaml", schedule("targets: [ { registry: edge } ]"), Path.of("."))
                .policy("warm")
                .orElseThrow();

        assertThat(p.prewarm()).isNull();
        assertThat(p.targets().get(0).ttl()).isNull();
    }

    @Test
    void aTtlWithoutPrewarmIsRefusedAtTheField() {
        assertThat(problems("targets: [ { registry: edge, ttl: 1d } ]"))
                .singleElement()
                .asString()
                .startsWith(
                        "test.yaml:9:39: policies[0].targets[0].ttl: ttl expires pre-warmed tags: it needs prewarm:");
    }

    @Test
    void topKIsRequiredAndBounded() {
        assertThat(problems("""
        targets: [ { registry: edge } ]
        prewarm: { topK: 0 }
        """))
                .containsExactly("test.yaml:10:22: policies[0].prewarm.topK: must be between 1 and 1000, got 0");
        assertThat(problems("""
        targets: [ { registry: edge } ]
        prewarm: { }
        """))
                .singleElement()
                .asString()
                .contains("policies[0].prewarm")
                .contains("topK");
    }
}
