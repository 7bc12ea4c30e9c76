package dev.ferry.cli;

import dev.ferry.common.io.BoundedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a token or credentials file named on the command line: a regular file of at most
 * 64 KiB, trimmed, not empty. Every refusal is a usage error (exit 2) naming the file, never
 * its content.
 */
final class SecretFiles {

    /** Tokens and USER:PASSWORD lines are short; a larger file is a mistake. */
    static final int MAX_BYTES = 64 * 1024;

    private SecretFiles() {}

    /** @param what the file's role in messages, e.g. {@code "the token file"} or {@code "--token-file"} */
    static String read(Path file, String what) {
        String value;
        try {
            value = BoundedFiles.readString(file, MAX_BYTES, StandardCharsets.UTF_8)
                    .strip();
        } catch (BoundedFiles.RefusedFile e) {
            throw new ExitCodes.UsageException("cannot use " + what + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ExitCodes.UsageException(
                    "cannot read " + what + " " + file + ": " + e.getClass().getSimpleName());
        }
        if (value.isEmpty()) {
            throw new ExitCodes.UsageException(what + " " + file + " is empty");
        }
        return value;
    }
}
