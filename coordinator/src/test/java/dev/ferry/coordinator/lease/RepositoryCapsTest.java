package dev.ferry.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RepositoryCapsTest {

    private static Schedule schedule(String mirrorCap) {
        return ScheduleLoader.parse("test.yaml", """
        version: 1
        registries:
          - { name: hub, url: "https://hub.example.com" }
          - { name: mirror, url: "https://mirror.example.com"%s }
        """.formatted(mirrorCap), Path.of("."));
    }

    @Test
    void eachRegistryHasItsCapOrTheDefaultAndAReloadIsSeen() {
        AtomicReference<Schedule> current = new AtomicReference<>(schedule(", maxConcurrencyPerRepository: 9"));
        RepositoryCaps caps = new RepositoryCaps(current::get);

        assertThat(caps.applyAsInt("mirror")).isEqualTo(9);
        assertThat(caps.applyAsInt("hub")).isEqualTo(ReadyIndex.DEFAULT_PER_REPOSITORY);
        assertThat(caps.applyAsInt("gone")).isEqualTo(ReadyIndex.DEFAULT_PER_REPOSITORY);

        current.set(schedule(", maxConcurrencyPerRepository: 2"));
        assertThat(caps.applyAsInt("mirror")).isEqualTo(2);
    }
}
