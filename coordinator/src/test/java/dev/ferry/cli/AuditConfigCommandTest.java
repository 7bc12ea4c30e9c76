package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditConfigCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new FerryMain()).setExecutionExceptionHandler(new ExitCodes());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static final String HEAD = """
      version: 1
      registries:
        - { name: hub, url: https://hub.example.com }
        - { name: prod, url: https://prod.example.com, production: true }
      policies:
        - name: apps
          source: { registry: hub, repositories: ["team/*"] }
          targets: [ { registry: prod } ]
          trigger: { manual: true }
      """;

    @Test
    void aHighFindingExitsOneWithFileLineAndRule(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), HEAD);

        assertThat(run("audit-config", file.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains(file + ":6:")
                .contains("HIGH unsigned-production")
                .contains(file + ": 1 high, 0 medium, 0 low");
    }

    @Test
    void onlyMediumFindingsExitZero(@TempDir Path dir) throws Exception {
        // A real public key: the loader checks the keys a policy names.
        Files.copy(Path.of("..", "config", "examples", "keys", "release.pub"), dir.resolve("release.pub"));
        Path file = Files.writeString(
                dir.resolve("s.yaml"),
                HEAD + "    verify: { cosign: { keys: [release.pub] } }\n    onConflict: overwrite\n");

        assertThat(run("audit-config", "--json", file.toString())).isZero();
        assertThat(out.toString())
                .contains("\"rule\" : \"overwrite-mutable-releases\"")
                .contains("\"severity\" : \"medium\"");
    }

    @Test
    void anInvalidFileExitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), "version: 1\nregistries: 3\n");

        assertThat(run("audit-config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":2:");
    }
}
