package dev.ferry.cli;

import dev.ferry.coordinator.security.DevCertificates;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry certs}: certificates for the control API's TLS. */
@Command(
        name = "certs",
        mixinStandardHelpOptions = true,
        description = "Certificates for the control API.",
        subcommands = CertsCommand.Init.class)
final class CertsCommand {

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = {
                "Creates a private CA, a server certificate (SANs: localhost, 127.0.0.1, ::1 and --host) and a",
                "client certificate for workers, as PEM files in --out: ca.crt ca.key server.crt server.key client.crt",
                "client.key. For dev and k8s; use your own PKI where you have one."
            },
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:written", "2:usage error, or the files exist"})
    static final class Init implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the files")
        Path out;

        @Option(
                names = "--host",
                paramLabel = "NAME",
                split = ",",
                description = "more DNS names or IP addresses for the server certificate (repeatable)")
        List<String> hosts = new ArrayList<>();

        @Option(
                names = "--client-name",
                paramLabel = "CN",
                defaultValue = "ferry-worker",
                description = "the client certificate's common name (default: ${DEFAULT-VALUE})")
        String clientName;

        @Option(
                names = "--days",
                paramLabel = "N",
                defaultValue = "365",
                description =
                        "validity of the server and client certificates; the CA gets twice (default: ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--force", description = "replace existing files")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (days < 1 || days > 3650) {
                throw new ExitCodes.UsageException("--days must be between 1 and 3650, got " + days);
            }
            List<Path> written;
            try {
                written = new DevCertificates(Clock.systemUTC(), new SecureRandom())
                        .write(out, hosts, clientName, Duration.ofDays(days), force);
            } catch (FileAlreadyExistsException e) {
                throw new ExitCodes.UsageException(e.getFile());
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.UsageException("--host: " + e.getMessage());
            }
            written.forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
