package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tokens made with {@code ferry token create}, one per role, for a schedule's {@code api.tokens}. */
final class ListedTokens {

    private final Map<String, Path> files = new LinkedHashMap<>();
    private final StringBuilder entries = new StringBuilder();

    /** Creates a token per role, named {@code ROLE-SUFFIX}, each in {@code dir/ROLE.token}. */
    static ListedTokens create(Path dir, String suffix, String... roles) throws Exception {
        ListedTokens tokens = new ListedTokens();
        for (String role : roles) {
            Path file = dir.resolve(role + ".token");
            FerryProcess.Result created = FerryProcess.run(
                    "token", "create", "--role", role, "--name", role + "-" + suffix, "--out", file.toString());
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            tokens.entries
                    .append("    ")
                    .append(created.stdout()
                            .lines()
                            .filter(l -> l.startsWith("- {"))
                            .findFirst()
                            .orElseThrow())
                    .append('\n');
            tokens.files.put(role, file);
        }
        return tokens;
    }

    /** The lines to put under {@code api.tokens:}, indented for it. */
    String entries() {
        return entries.toString();
    }

    Path file(String role) {
        return files.get(role);
    }

    String token(String role) throws java.io.IOException {
        return Files.readString(files.get(role)).strip();
    }
}
