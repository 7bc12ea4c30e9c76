package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new FerryMain()).setExecutionExceptionHandler(new ExitCodes());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static List<String> examples() throws IOException {
        List<String> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("..", "config", "examples"), "*.yaml")) {
            dir.forEach(p -> files.add(p.toString()));
        }
        return files;
    }

    @Test
    void everyShippedExampleIsValid() throws Exception {
        List<String> files = examples();
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);

        int code = run(prepend("validate", files));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines()).hasSize(files.size()).allMatch(l -> l.contains(": valid ("));
    }

    @Test
    void anInvalidFileExitsTwoWithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        version: 1
        registries:
          - name: hub
            url: http://hub.local:5000
        policies: []
        """);

        int code = run("validate", bad.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains(bad + ":4:10: registries[0].url: plain http:// needs insecure: true")
                .contains(bad + ": 1 problem");
    }

    @Test
    void oneBadFileAmongGoodOnesStillExitsTwo(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "version: 9\n");
        List<String> files = new ArrayList<>(examples());
        files.add(bad.toString());

        assertThat(run(prepend("validate", files))).isEqualTo(2);
        assertThat(err.toString()).contains("unsupported version \"9\"");
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() {
        assertThat(run("validate", "/dev/zero")).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "/dev/zero:1:1: cannot read the schedule: /dev/zero is not a regular file"
                                + " (it is a device, FIFO or socket); a schedule is a YAML file of at most 4 MiB (4194304 bytes)");
    }

    @Test
    void aFifoIsRefusedInsteadOfWaitedOn(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("schedule.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        // No writer ever opens the FIFO: opening it for reading would block for ever.
        int code = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(60), () -> run("validate", fifo.toString()));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains(fifo + ":1:1: cannot read the schedule: " + fifo
                        + " is not a regular file (it is a device, FIFO or socket)");
    }

    @Test
    void missingFileExitsTwoAndNamesIt(@TempDir Path dir) {
        assertThat(run("validate", dir.resolve("nope.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nope.yaml").contains("cannot read the file");
    }

    @Test
    void checkSecretsNamesTheMissingVariableButNoValue(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - name: hub
            url: https://hub.example.com
            credentials: { username: ci, passwordEnv: FERRY_TEST_UNSET_PASSWORD_VAR }
        """);

        assertThat(run("validate", file.toString())).isZero();
        assertThat(run("validate", "--check-secrets", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("FERRY_TEST_UNSET_PASSWORD_VAR");
    }

    @Test
    void checkSecretsNamesACredentialHelperThatIsNotInstalledWithoutRunningAnything(@TempDir Path dir)
            throws Exception {
        Path config = Files.writeString(
                dir.resolve("docker.json"), "{\"credHelpers\": {\"hub.example.com\": \"ferry-none-such\"}}");
        Path file = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - name: hub
            url: https://hub.example.com
            credentials: { dockerConfig: docker.json }
        """);

        assertThat(run("validate", file.toString())).isZero();
        assertThat(run("validate", "--check-secrets", file.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains(file + ": registry hub: credential helper docker-credential-ferry-none-such"
                        + " (credHelpers in " + config + ") was not found on PATH");
    }

    private static String[] prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }
}
