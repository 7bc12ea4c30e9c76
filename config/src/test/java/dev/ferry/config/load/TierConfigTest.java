package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.MirrorTier;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmScope;
import dev.ferry.config.model.PrewarmSpec;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.TargetSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tiers:} on routes and {@code prewarm.region}: read, refused where wrong, and which targets get warmed. */
class TierConfigTest {

    /** Registries edge and archive in eu-west, far in us-east; {@code policy} then {@code routes} YAML lines. */
    private static String schedule(String policy, String routes) {
        return """
        version: 1
        registries:
          - { name: hub, url: "https://hub.example.com", region: eu-west }
          - { name: edge, url: "https://edge.example.com", region: eu-west }
          - { name: archive, url: "https://archive.example.com", region: eu-west }
          - { name: far, url: "https://far.example.com", region: us-east }
        policies:
          - name: warm
            source: { registry: hub, repositories: ["apps/*"] }
            trigger: { interval: 5m }
        %s
        routes:
        %s
        """.formatted(policy.indent(4).stripTrailing(), routes.indent(2).stripTrailing());
    }

    private static Schedule load(String policy, String routes) {
        return ScheduleLoader.parse("test.yaml", schedule(policy, routes), Path.of("."));
    }

    private static List<String> problems(String policy, String routes) {
        try {
            load(policy, routes);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    private static final String ROUTE_EU =
            "- { name: eu, region: eu-west, mirrors: [edge, archive, hub]," + " tiers: { edge: hot, archive: cold } }";

    @Test
    void tiersAreReadAndAMirrorWithoutOneIsHot() {
        Schedule s = load("targets: [ { registry: edge } ]", ROUTE_EU);

        assertThat(s.routes().get(0).tiers()).isEqualTo(Map.of("edge", MirrorTier.HOT, "archive", MirrorTier.COLD));
        assertThat(s.routes().get(0).tierOf("hub")).isEqualTo(MirrorTier.HOT);
    }

    @Test
    void aTierKeyThatIsNotAMirrorOfTheRouteIsRefusedAtTheKey() {
        assertThat(problems(
                        "targets: [ { registry: edge } ]",
                        "- { name: eu, region: eu-west, mirrors: [edge, hub], tiers: { archive: cold } }"))
                .containsExactly("test.yaml:13:65: routes[0].tiers.archive: \"archive\" is not a mirror of this route:"
                        + " tiers name mirrors from its mirrors: list (edge, hub)");
    }

    @Test
    void aTierThatIsNeitherHotNorColdIsRefusedAtTheValue() {
        assertThat(problems(
                        "targets: [ { registry: edge } ]",
                        "- { name: eu, region: eu-west, mirrors: [edge, hub], tiers: { edge: hto } }"))
                .singleElement()
                .asString()
                .startsWith(
                        "test.yaml:13:71: routes[0].tiers.edge: unknown tier \"hto\" for mirror \"edge\" (one of hot, cold)")
                .contains("did you mean \"hot\"?");
        assertThat(problems(
                        "targets: [ { registry: edge } ]",
                        "- { name: eu, region: eu-west, mirrors: [edge, hub], tiers: [edge] }"))
                .singleElement()
                .asString()
                .contains("routes[0].tiers: expected a mapping, got a list");
    }

    @Test
    void aPrewarmingPolicyWarmsItsHotTargetsAndLeavesTheColdOnes() {
        Schedule s = load("""
        targets: [ { registry: edge, ttl: 7d }, { registry: archive } ]
        prewarm: { topK: 5 }
        """, ROUTE_EU);
        Policy p = s.policy("warm").orElseThrow();

        assertThat(PrewarmScope.narrow(p, s.routes()).targets())
                .extracting(TargetSpec::registry)
                .containsExactly("edge");
    }

    @Test
    void aTtlOnAColdTargetIsRefusedAtTheTtl() {
        assertThat(problems("""
        targets: [ { registry: edge }, { registry: archive, ttl: 7d } ]
        prewarm: { topK: 5 }
        """, ROUTE_EU))
                .singleElement()
                .asString()
                .startsWith("test.yaml:11:62: policies[0].targets[1].ttl: \"archive\" is cold in every route that lists"
                        + " it (eu), so this policy does not pre-warm it")
                .contains("cold mirrors keep everything");
    }

    @Test
    void aPrewarmingPolicyWhoseTargetsAreAllColdIsRefused() {
        assertThat(problems("""
        targets: [ { registry: archive } ]
        prewarm: { topK: 5 }
        """, ROUTE_EU))
                .singleElement()
                .asString()
                .startsWith(
                        "test.yaml:12:14: policies[0].prewarm: this pre-warming policy would warm none of its targets:"
                                + " \"archive\" is cold in every route that lists it (eu)");
    }

    @Test
    void hotInOneRouteIsEnoughToBeWarmed() {
        Schedule s = load("""
        targets: [ { registry: archive, ttl: 1d } ]
        prewarm: { topK: 5 }
        """, ROUTE_EU + "\n- { name: eu-batch, region: eu-west, mirrors: [archive] }");

        assertThat(PrewarmScope.narrow(s.policy("warm").orElseThrow(), s.routes())
                        .targets())
                .hasSize(1);
    }

    @Test
    void aRegionRestrictsThePrewarmToMirrorsOfItsRoutes() {
        Schedule s = load("""
        targets: [ { registry: edge }, { registry: far } ]
        prewarm: { topK: 5, region: us-east }
        """, ROUTE_EU + "\n- { name: us, region: us-east, mirrors: [far, hub] }");
        Policy p = s.policy("warm").orElseThrow();

        assertThat(p.prewarm()).isEqualTo(new PrewarmSpec(5, "us-east"));
        assertThat(PrewarmScope.narrow(p, s.routes()).targets())
                .extracting(TargetSpec::registry)
                .containsExactly("far");
    }

    @Test
    void withoutARegionATargetOnNoRouteIsWarmedAsBefore() {
        Schedule s = load("""
        targets: [ { registry: far, ttl: 1d } ]
        prewarm: { topK: 5 }
        """, ROUTE_EU);

        assertThat(PrewarmScope.narrow(s.policy("warm").orElseThrow(), s.routes())
                        .targets())
                .hasSize(1);
    }

    @Test
    void aRegionNoRouteIsInIsRefused() {
        assertThat(problems("""
        targets: [ { registry: edge } ]
        prewarm: { topK: 5, region: eu-wset }
        """, ROUTE_EU))
                .singleElement()
                .asString()
                .startsWith("test.yaml:12:33: policies[0].prewarm.region: no route is in region \"eu-wset\" (regions of"
                        + " the routes: eu-west)")
                .contains("did you mean \"eu-west\"?");
    }

    @Test
    void aTtlOnATargetOutsideThePrewarmRegionIsRefused() {
        assertThat(problems("""
        targets: [ { registry: edge }, { registry: far, ttl: 1d } ]
        prewarm: { topK: 5, region: eu-west }
        """, ROUTE_EU))
                .singleElement()
                .asString()
                .contains("policies[0].targets[1].ttl: \"far\" is a mirror of no route in region eu-west");
    }
}
