package dev.ferry.coordinator.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which events start which runs, narrowed to which repositories; which are counted as pulls or ignored. */
class EventTriggersTest {

    private static final Schedule SCHEDULE = ScheduleLoader.parse("test.yaml", """
      version: 1
      registries:
        - { name: hub, url: "https://hub.example.com" }
        - { name: hub2, url: "https://hub2.example.com:5000" }
        - { name: edge, url: "https://edge.example.com" }
      policies:
        - { name: live, source: { registry: hub, repositories: ["team/*"] }, targets: [ { registry: edge } ],
            trigger: { event: true } }
        - { name: deletes, source: { registry: hub, repositories: ["team/*"] }, targets: [ { registry: edge,
            prefix: d/ } ], trigger: { event: true }, propagateDeletes: true }
        - { name: scheduled, source: { registry: hub, repositories: ["team/*"] }, targets: [ { registry: edge,
            prefix: s/ } ], trigger: { interval: 5m } }
        - { name: other, source: { registry: hub2, repositories: ["team/*"] }, targets: [ { registry: edge,
            prefix: o/ } ], trigger: { event: true } }
      """, Path.of("."));

    private final Map<String, Policy> started = new LinkedHashMap<>();
    private final List<String> pulls = new ArrayList<>();
    private final EventTriggers triggers = new EventTriggers(
            () -> SCHEDULE,
            (name, narrow) -> {
                started.put(name, narrow.apply(SCHEDULE.policy(name).orElseThrow()));
                return name.equals("deletes") ? Future.failedFuture("paused") : Future.succeededFuture();
            },
            (registry, e) -> pulls.add(registry + "/" + e.repository() + ":" + e.tag()));

    private static RegistryEvent event(String action, String repository, String tag, String host, String agent) {
        return new RegistryEvent(
                action, repository, tag, "sha256:aa", "application/vnd.oci.image.manifest.v1+json", host, agent);
    }

    @Test
    void pushesStartEventPoliciesNarrowedToTheBatchsRepositoriesOnce() {
        EventTriggers.Receipt r = triggers.handle(
                        List.of("hub"),
                        List.of(
                                event("push", "team/a", "v1", null, null),
                                event("push", "team/b", "v1", null, null),
                                event("push", "team/a", "v2", null, null),
                                event("push", "elsewhere/x", "v1", null, null),
                                event("push", "team/c", null, null, null)))
                .result();

        assertThat(started)
                .as("every event policy reading hub, not the scheduled one")
                .containsOnlyKeys("live", "deletes");
        assertThat(started.get("live").source().repositories()).containsExactly("team/a", "team/b");
        assertThat(r.triggered()).containsExactly("live", "deletes");
        assertThat(r.ignored())
                .as("a repository no policy reads, a push by digest")
                .isEqualTo(2);
    }

    @Test
    void deletesStartOnlyPoliciesThatPropagateThemAndARefusedRunIsNoError() {
        EventTriggers.Receipt r = triggers.handle(
                        List.of("hub"),
                        List.of(new RegistryEvent("delete", "team/a", null, "sha256:aa", null, null, null)))
                .result();

        assertThat(started).containsOnlyKeys("deletes");
        assertThat(r.triggered()).containsExactly("deletes");
    }

    @Test
    void aSharedSecretIsResolvedByTheEventsHostAndFerrysOwnPullsAreNotCounted() {
        EventTriggers.Receipt r = triggers.handle(
                        List.of("hub", "hub2"),
                        List.of(
                                event("push", "team/a", "v1", "hub2.example.com:5000", null),
                                event("push", "team/a", "v1", "unknown.example.com", null),
                                event("pull", "team/a", "v1", "hub.example.com", "containerd/1.7"),
                                event("pull", "team/a", "v1", "hub.example.com", "ferry")))
                .result();

        assertThat(started).containsOnlyKeys("other");
        assertThat(pulls).containsExactly("hub/team/a:v1");
        assertThat(r.pulls()).isEqualTo(1);
        assertThat(r.ignored()).isEqualTo(2);
    }
}
