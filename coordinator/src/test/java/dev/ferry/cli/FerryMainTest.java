package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line {@code ferry} builds for its arguments: only the command they name when the
 * first one names one (a one-shot run does not pay for reading every command's annotations),
 * with the same usage, errors and exit codes as the full command line.
 */
class FerryMainTest {

    @Test
    void aNamedCommandIsTheOnlySubcommandBuilt() {
        CommandLine line = FerryMain.commandLine("standalone", "--once", "--config", "x.yaml");

        assertThat(line.getSubcommands()).containsOnlyKeys("standalone");
    }

    @Test
    void noCommandOrHelpOrAnOptionBuildsEveryCommand() {
        int all = new CommandLine(new FerryMain()).getSubcommands().size();

        assertThat(all).isGreaterThan(5);
        assertThat(FerryMain.commandLine().getSubcommands()).hasSize(all);
        assertThat(FerryMain.commandLine("help", "copy").getSubcommands()).hasSize(all);
        assertThat(FerryMain.commandLine("--version").getSubcommands()).hasSize(all);
        assertThat(FerryMain.commandLine("no-such-command").getSubcommands()).hasSize(all);
    }

    @Test
    void aCommandsOwnSubcommandsStay() {
        CommandLine full = new CommandLine(new FerryMain()).getSubcommands().get("ctl");

        CommandLine ctl =
                FerryMain.commandLine("ctl", "status").getSubcommands().get("ctl");

        assertThat(ctl.getSubcommands().keySet())
                .isEqualTo(full.getSubcommands().keySet());
    }

    @Test
    void usageErrorsAndExitCodesAreThoseOfTheFullCommandLine() {
        for (String[] args : new String[][] {
            {"standalone", "--help"}, {"copy", "--help"}, {"copy", "only-one-argument"}, {"standalone", "--no-such"}
        }) {
            Captured trimmed = execute(FerryMain.commandLine(args), args);
            Captured full = execute(new CommandLine(new FerryMain()), args);

            assertThat(trimmed).as(String.join(" ", args)).isEqualTo(full);
            assertThat(trimmed.out() + trimmed.err()).as(String.join(" ", args)).contains("ferry " + args[0]);
        }
    }

    private record Captured(int exit, String out, String err) {}

    private static Captured execute(CommandLine line, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setExecutionExceptionHandler(new ExitCodes());
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Captured(exit, out.toString(), err.toString());
    }
}
