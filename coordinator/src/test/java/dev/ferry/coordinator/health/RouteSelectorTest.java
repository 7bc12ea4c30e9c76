package dev.ferry.coordinator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.ferry.config.model.RouteConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteSelectorTest {

    private static final long NOW = 5_000_000;
    private static final RouteConfig ROUTE = new RouteConfig(
            "ci-eu",
            "eu-west",
            List.of("mirror-eu", "mirror-us", "hub-eu"),
            List.of("payments"),
            List.of(),
            Duration.ofMinutes(2));
    private static final Map<String, String> URLS = Map.of(
            "mirror-eu",
            "https://mirror-eu.example.com",
            "mirror-us",
            "http://10.0.0.7:5000",
            "hub-eu",
            "https://hub.example.com:8443");

    private static RegistryHealth healthy(String name) {
        return RegistryHealth.initial(name, NOW);
    }

    private static RegistryHealth down(String name) {
        return new RegistryHealth(
                name,
                HealthState.DOWN,
                "3 probes in a row failed",
                NOW,
                false,
                3,
                "fff",
                new ProbeResult(NOW, 5, false, "timeout"),
                null,
                null,
                null,
                0);
    }

    @Test
    void thePreferredHealthyInSyncMirrorIsActive() {
        RouteView view = RouteSelector.select(ROUTE, Map.of(), Map.of(), URLS, null, NOW);
        assertThat(view.active()).isEqualTo("mirror-eu");
        assertThat(view.reason()).contains("preferred");
        assertThat(view.candidates()).extracting(RouteView.Candidate::eligible).containsExactly(true, true, true);
    }

    @Test
    void eachCandidateShowsItsCacheTierAndAColdOneMayStillBeActive() {
        RouteConfig tiered = new RouteConfig(
                "ci-eu",
                "eu-west",
                List.of("mirror-eu", "mirror-us", "hub-eu"),
                List.of(),
                List.of(),
                Duration.ofMinutes(2),
                Map.of("mirror-eu", dev.ferry.config.model.MirrorTier.COLD));
        RouteView view = RouteSelector.select(tiered, Map.of(), Map.of(), URLS, null, NOW);
        assertThat(view.candidates()).extracting(RouteView.Candidate::tier).containsExactly("cold", "hot", "hot");
        assertThat(view.active()).isEqualTo("mirror-eu");
    }

    @Test
    void aDownMirrorIsSkippedWithItsReason() {
        RouteView view = RouteSelector.select(ROUTE, Map.of("mirror-eu", down("mirror-eu")), Map.of(), URLS, null, NOW);
        assertThat(view.active()).isEqualTo("mirror-us");
        assertThat(view.reason()).contains("mirror-eu (down: 3 probes in a row failed)");
    }

    @Test
    void laggingOrDriftedMirrorsAreNotInSync() {
        Map<String, RouteSelector.Sync> sync =
                Map.of("mirror-eu", new RouteSelector.Sync(121, 0), "mirror-us", new RouteSelector.Sync(0, 2));
        RouteView view = RouteSelector.select(ROUTE, Map.of(), sync, URLS, null, NOW);
        assertThat(view.active()).isEqualTo("hub-eu");
        assertThat(view.candidates().get(0).reason()).contains("lag 2m1s").contains("maxLag 2m");
        assertThat(view.candidates().get(1).reason()).contains("2 drifted tag(s)");
    }

    @Test
    void aRecoveringMirrorStaysOutUntilItsFailback() {
        RegistryHealth recovering = healthy("mirror-eu")
                .withRoutes(false)
                .withRecovery(Recovery.pending(NOW, false).catchingUp(List.of("run-9")));
        RouteView view = RouteSelector.select(ROUTE, Map.of("mirror-eu", recovering), Map.of(), URLS, null, NOW);
        assertThat(view.active()).isEqualTo("mirror-us");
        assertThat(view.candidates().get(0).reason()).contains("catch-up catching-up");
    }

    @Test
    void withNoEligibleMirrorTheFirstReachableOneServes() {
        Map<String, RouteSelector.Sync> lagging = Map.of(
                "mirror-eu",
                new RouteSelector.Sync(999, 0),
                "mirror-us",
                new RouteSelector.Sync(999, 0),
                "hub-eu",
                new RouteSelector.Sync(999, 0));
        RouteView view = RouteSelector.select(ROUTE, Map.of("mirror-eu", down("mirror-eu")), lagging, URLS, null, NOW);
        assertThat(view.active()).isEqualTo("mirror-us");
        assertThat(view.reason()).startsWith("no mirror is healthy and in sync");

        RouteView none = RouteSelector.select(
                ROUTE,
                Map.of("mirror-eu", down("mirror-eu"), "mirror-us", down("mirror-us"), "hub-eu", down("hub-eu")),
                Map.of(),
                URLS,
                null,
                NOW);
        assertThat(none.active()).isNull();
        assertThat(none.reason()).startsWith("no mirror can serve");
    }

    @Test
    void theEtagAndChangeTimeMoveOnlyWithTheChoice() {
        RouteView first = RouteSelector.select(ROUTE, Map.of(), Map.of(), URLS, null, NOW);
        RouteView same = RouteSelector.select(
                ROUTE, Map.of(), Map.of("mirror-eu", new RouteSelector.Sync(3, 0)), URLS, first, NOW + 10_000);
        assertThat(same.etag()).isEqualTo(first.etag());
        assertThat(same.changedAt()).isEqualTo(NOW);
        RouteView switched =
                RouteSelector.select(ROUTE, Map.of("mirror-eu", down("mirror-eu")), Map.of(), URLS, same, NOW + 20_000);
        assertThat(switched.etag()).isNotEqualTo(first.etag());
        assertThat(switched.changedAt()).isEqualTo(NOW + 20_000);
    }

    @Test
    void hostsTomlListsUsableMirrorsInPreferenceOrderBeforeTheUpstream() throws Exception {
        RouteView view = RouteSelector.select(ROUTE, Map.of(), Map.of(), URLS, null, NOW);
        String toml = HostsFiles.hostsToml(view);
        JsonNode parsed = new TomlMapper().readTree(toml);
        assertThat(parsed.path("server").asText()).isEqualTo("https://hub.example.com:8443");
        List<String> hosts = new java.util.ArrayList<>();
        parsed.path("host").fieldNames().forEachRemaining(hosts::add);
        assertThat(hosts).containsExactly("https://mirror-eu.example.com", "http://10.0.0.7:5000");
        assertThat(parsed.path("host").path("https://mirror-eu.example.com").path("capabilities"))
                .extracting(JsonNode::asText)
                .containsExactly("pull", "resolve");
        // The TOML parser keeps table order; check the text too, as containerd reads it in order.
        assertThat(toml.indexOf("mirror-eu")).isLessThan(toml.indexOf("10.0.0.7"));

        RouteView failedOver =
                RouteSelector.select(ROUTE, Map.of("mirror-eu", down("mirror-eu")), Map.of(), URLS, view, NOW);
        List<String> after = new java.util.ArrayList<>();
        new TomlMapper()
                .readTree(HostsFiles.hostsToml(failedOver))
                .path("host")
                .fieldNames()
                .forEachRemaining(after::add);
        assertThat(after).containsExactly("http://10.0.0.7:5000");
    }

    @Test
    void registriesConfNamesTheUpstreamAndItsMirrors() throws Exception {
        RouteView view = RouteSelector.select(ROUTE, Map.of(), Map.of(), URLS, null, NOW);
        JsonNode parsed = new TomlMapper().readTree(HostsFiles.registriesConf(view));
        JsonNode registry = parsed.path("registry").get(0);
        assertThat(registry.path("location").asText()).isEqualTo("hub.example.com:8443");
        assertThat(registry.path("prefix").asText()).isEqualTo("hub.example.com:8443");
        assertThat(registry.path("mirror"))
                .extracting(m -> m.path("location").asText())
                .containsExactly("mirror-eu.example.com", "10.0.0.7:5000");
        assertThat(registry.path("mirror").get(1).path("insecure").asBoolean()).isTrue();
    }
}
