package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code ferry ctl}: runbook commands, each a thin call of the control API through one
 * {@link ControlClient}. Every command prints for a person, and the API's JSON answer with
 * {@code --json} ({@link CtlBase}).
 */
@Command(
        name = "ctl",
        mixinStandardHelpOptions = true,
        description = "Runbook commands over the control API.",
        subcommands = {
            RunbookCommands.Status.class,
            RunCommands.Sync.class,
            RunCommands.Pause.class,
            RunCommands.Resume.class,
            RunCommands.Jobs.class,
            TagCommands.History.class,
            TagCommands.Rollback.class,
            TagCommands.Pins.class,
            TagCommands.Unpin.class,
            TagCommands.DriftCmd.class,
            RunCommands.Links.class,
            RunCommands.Cancel.class,
            RunbookCommands.Registries.class,
            RunbookCommands.Routes.class,
            RunbookCommands.Failover.class,
            RunbookCommands.Failback.class,
            RunbookCommands.Drain.class,
            RunbookCommands.Drill.class,
            AuditCommand.class,
            ReportCommand.class
        })
final class CtlCommand {

    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080",
            description = "a coordinator's API (default: ${DEFAULT-VALUE})",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    String server;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "a file holding the API token",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    Path tokenFile;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust for an https server (default: the JVM's trust store)",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    Path caFile;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The control API client for this invocation's --server, --token-file and --ca-file. */
    ControlClient client() {
        String token = tokenFile == null ? null : SecretFiles.read(tokenFile, "--token-file");
        try {
            return new ControlClient(server, token, caFile == null ? null : PemTrust.sslContext(caFile));
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException("--server is not a URL: " + server);
        }
    }

    static String enc(String s) {
        return ControlClient.enc(s);
    }

    static void print(CommandSpec spec, JsonNode node) {
        try {
            spec.commandLine()
                    .getOut()
                    .println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            spec.commandLine().getOut().println(node);
        }
        spec.commandLine().getOut().flush();
    }
}
