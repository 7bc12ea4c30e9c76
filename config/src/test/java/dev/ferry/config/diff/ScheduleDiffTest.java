package dev.ferry.config.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScheduleDiffTest {

    private static final String BASE = """
      version: 1
      registries:
        - { name: hub, url: "https://hub.example.com", region: eu }
        - { name: mirror, url: "https://mirror.example.com", region: us }
      defaults:
        trigger: { interval: 5m }
      policies:
        - name: apps
          source: { registry: hub, repositories: ["team/*"] }
          targets: [ { registry: mirror } ]
        - name: base
          source: { registry: hub, repositories: ["base/*"] }
          targets: [ { registry: mirror } ]
      """;

    private static Schedule parse(String yaml) {
        return ScheduleLoader.parse("s.yaml", yaml, Path.of("."));
    }

    @Test
    void identicalSchedulesHaveNoDifference() {
        assertThat(ScheduleDiff.between(parse(BASE), parse(BASE)).isEmpty()).isTrue();
    }

    @Test
    void policiesAddedRemovedAndChangedAreNamed() {
        String next = BASE.replace("repositories: [\"team/*\"]", "repositories: [\"team/**\"]")
                .replace("name: base", "name: tools");

        ScheduleDiff d = ScheduleDiff.between(parse(BASE), parse(next));

        assertThat(d.policies().changed()).containsExactly("apps");
        assertThat(d.policies().added()).containsExactly("tools");
        assertThat(d.policies().removed()).containsExactly("base");
        assertThat(d.registries().isEmpty()).isTrue();
    }

    @Test
    void aChangedDefaultChangesEveryPolicyThatInheritsIt() {
        ScheduleDiff d = ScheduleDiff.between(parse(BASE), parse(BASE.replace("interval: 5m", "interval: 10m")));

        assertThat(d.policies().changed()).containsExactlyInAnyOrder("apps", "base");
    }

    @Test
    void aChangedRegistryMeansItsPoliciesAreReplanned() {
        Schedule next = parse(BASE.replace("https://mirror.example.com", "https://mirror2.example.com"));

        ScheduleDiff d = ScheduleDiff.between(parse(BASE), next);

        assertThat(d.registries().changed()).containsExactly("mirror");
        assertThat(d.policies().isEmpty()).isTrue();
        assertThat(d.policiesToReplan(next)).containsExactlyInAnyOrder("apps", "base");
    }

    @Test
    void anInvalidReloadKeepsTheValidSchedule() {
        Schedule valid = parse(BASE);
        ReloadableSchedule holder = new ReloadableSchedule(valid);

        ReloadableSchedule.Reload r = holder.reload(() -> parse(BASE.replace("interval: 5m", "interval: soon")));

        assertThat(r.applied()).isFalse();
        assertThat(r.refused()).isInstanceOf(ConfigException.class).hasMessageContaining("s.yaml:6:");
        assertThat(holder.current()).isSameAs(valid);
    }

    @Test
    void aValidReloadReplacesTheScheduleAndReportsTheDiff() {
        ReloadableSchedule holder = new ReloadableSchedule(parse(BASE));
        Schedule next = parse(BASE.replace("region: us", "region: us-east"));

        ReloadableSchedule.Reload r = holder.reload(() -> next);

        assertThat(r.applied()).isTrue();
        assertThat(r.diff().registries().changed()).containsExactly("mirror");
        assertThat(holder.current()).isSameAs(next);
    }
}
