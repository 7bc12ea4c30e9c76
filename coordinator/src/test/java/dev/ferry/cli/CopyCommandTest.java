package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of {@code ferry copy} for input that never reaches a registry. */
class CopyCommandTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new FerryMain()).setExecutionExceptionHandler(new ExitCodes());
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        return cmd.execute(args);
    }

    @Test
    void badReferenceExitsTwoAndNamesTheProblem() {
        int code = run("copy", "docker://127.0.0.1:5000/Upper/Case:v1", "oci:/tmp/x:v1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Upper/Case").contains("lowercase");
    }

    @Test
    void referenceWithoutTransportExitsTwo() {
        int code = run("copy", "127.0.0.1:5000/app:v1", "oci:/tmp/x:v1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("docker://").contains("oci:");
    }

    @Test
    void badPlatformExitsTwo() {
        int code = run("copy", "--platform", "linux", "docker://a.io/b:c", "oci:/tmp/x:v1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("invalid platform \"linux\"");
    }

    @Test
    void missingArgumentsExitTwoWithUsage() {
        int code = run("copy", "docker://a.io/b:c");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter").contains("DST");
    }

    @Test
    void badTimeoutsExitTwoAndNameTheFlag() {
        assertThat(run("copy", "--idle-timeout", "5x", "docker://a.io/b:c", "oci:/tmp/x:v1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--idle-timeout").contains("invalid duration \"5x\"");
        assertThat(run("copy", "--first-byte-timeout", "500ms", "docker://a.io/b:c", "oci:/tmp/x:v1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--first-byte-timeout must be at least 1s, got 500ms");
    }

    @Test
    void allPlatformsAndPlatformExcludeEachOther() {
        int code = run("copy", "--all-platforms", "--platform", "linux/amd64", "docker://a.io/b:c", "oci:/tmp/x:v1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("exclude each other");
    }

    @Test
    void unsetCredentialsVariableExitsTwoAndNamesIt() {
        int code = run("copy", "--src-creds-env", "FERRY_TEST_SURELY_UNSET_VAR", "docker://a.io/b:c", "oci:/tmp/x:v1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("FERRY_TEST_SURELY_UNSET_VAR");
    }

    @Test
    void malformedCredentialsFileNeverEchoesItsContent(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("creds");
        Files.writeString(creds, "no-colon-s3cr3t-value");

        int code = run("copy", "--src-creds-file", creds.toString(), "docker://a.io/b:c", "oci:/tmp/x:v1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("USER:PASSWORD").doesNotContain("s3cr3t");
    }

    @Test
    void unreachableSourceExitsOne(@TempDir Path dir) {
        // Port 1 on loopback refuses connections: a failure while working, not a usage error.
        int code = run("copy", "--insecure", "docker://127.0.0.1:1/app:v1", "oci:" + dir.resolve("out") + ":v1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("127.0.0.1:1");
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run("copy", "--help")).isZero();
        assertThat(out.toString()).contains("--platform").contains("Exit codes");
    }
}
