package dev.ferry.cli;

import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.security.TokenHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry token}: API bearer tokens. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Bearer tokens for the control API.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Prints a new random token once, then the api.tokens entry (its SHA-256) to add to the",
                "schedule. The token is not stored anywhere else: keep it, or write it to a file with --out."
            },
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:created", "2:usage error"})
    static final class Create implements Callable<Integer> {

        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

        @Option(
                names = "--role",
                required = true,
                paramLabel = "ROLE",
                description = "viewer, operator, admin or worker")
        String role;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "who holds it; the audit actor (default: the role and a random suffix)")
        String name;

        @Option(names = "--expires", paramLabel = "DURATION", description = "refuse it after this long, e.g. 30d")
        String expires;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "write the token to FILE (owner-only) instead of printing it")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!java.util.List.of("viewer", "operator", "admin", "worker").contains(role)) {
                throw new ExitCodes.UsageException(
                        "--role must be viewer, operator, admin or worker; got \"" + role + "\"");
            }
            SecureRandom random = new SecureRandom();
            String who = name != null ? name : role + "-" + Integer.toHexString(random.nextInt(0x10000, 0x100000));
            if (!NAME.matcher(who).matches()) {
                throw new ExitCodes.UsageException("--name \"" + who
                        + "\": use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            String until = "";
            if (expires != null) {
                try {
                    until = ", expires: \""
                            + Instant.now().plus(Durations.parse(expires)).truncatedTo(ChronoUnit.SECONDS) + "\"";
                } catch (IllegalArgumentException e) {
                    throw new ExitCodes.UsageException("--expires: " + e.getMessage());
                }
            }
            String token = TokenHash.newToken(random);
            var stdout = spec.commandLine().getOut();
            if (out != null) {
                writeOwnerOnly(out, token);
                stdout.println("# token written to " + out + "; add this entry under api.tokens:");
            } else {
                stdout.println(token);
                stdout.println("# the token above is shown only this once; add this entry under api.tokens:");
            }
            stdout.printf("- { name: %s, role: %s, sha256: %s%s }%n", who, role, TokenHash.sha256(token), until);
            stdout.flush();
            return ExitCodes.OK;
        }

        private static void writeOwnerOnly(Path file, String token) throws IOException {
            Files.deleteIfExists(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        }
    }
}
