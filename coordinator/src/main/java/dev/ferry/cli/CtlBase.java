package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code ferry ctl} command shares: the parent (its client), the output, and
 * {@code --json}, which prints the API's answer as it is instead of the lines for a person.
 */
abstract class CtlBase implements Callable<Integer> {
    @ParentCommand
    CtlCommand ctl;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print the API's JSON answer")
    boolean json;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    ControlClient client() {
        return ctl.client();
    }

    /** Prints {@code answer} as JSON with --json, else as {@code human} writes it; exit code 0. */
    int show(JsonNode answer, Consumer<PrintWriter> human) {
        if (json) {
            CtlCommand.print(spec, answer);
        } else {
            human.accept(out());
            out().flush();
        }
        return ExitCodes.OK;
    }

    /** A JSON text field, or {@code dash} when it is missing or null. */
    static String text(JsonNode node, String field, String dash) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? dash : v.asText();
    }
}
