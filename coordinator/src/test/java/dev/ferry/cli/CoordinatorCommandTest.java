package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery flags that cannot work together stop the command with exit 2 before any member starts. */
class CoordinatorCommandTest {

    private static Path schedule(Path dir) throws Exception {
        return Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: a, url: "http://127.0.0.1:1", insecure: true }
          - { name: b, url: "http://127.0.0.1:2", insecure: true }
        policies:
          - name: p
            source: { registry: a, repositories: ["x"] }
            targets: [ { registry: b } ]
            trigger: { manual: true }
        """);
    }

    @Test
    void kubernetesDnsWithoutAClusterSizeIsAUsageError(@TempDir Path dir) throws Exception {
        assertThat(FerryMain.run(
                        "coordinator",
                        "--config",
                        schedule(dir).toString(),
                        "--data-dir",
                        dir.resolve("d").toString(),
                        "--kubernetes-service-dns",
                        "ferry-coordinator-hz"))
                .isEqualTo(2);
    }

    @Test
    void kubernetesDnsAndAMemberListAreAUsageError(@TempDir Path dir) throws Exception {
        assertThat(FerryMain.run(
                        "coordinator",
                        "--config",
                        schedule(dir).toString(),
                        "--data-dir",
                        dir.resolve("d").toString(),
                        "--kubernetes-service-dns",
                        "ferry-coordinator-hz",
                        "--cluster-size",
                        "3",
                        "--members",
                        "10.0.0.1:5701"))
                .isEqualTo(2);
    }

    @Test
    void aClusterSizeBelowOneIsAUsageError(@TempDir Path dir) throws Exception {
        assertThat(FerryMain.run(
                        "coordinator",
                        "--config",
                        schedule(dir).toString(),
                        "--data-dir",
                        dir.resolve("d").toString(),
                        "--cluster-size",
                        "0"))
                .isEqualTo(2);
    }
}
