package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A real Docker credential helper for tests: an executable {@code docker-credential-NAME}
 * shell script in its own directory (put {@link #dir()} on a PATH). It speaks the
 * docker-credential-helpers {@code get} protocol: reads the server URL on stdin, records it,
 * and prints {@code {"ServerURL","Username","Secret"}}. What it answers is set through files
 * the test writes: a secret for the n-th call, a failure, or a hang.
 */
public final class CredentialHelperScript implements AutoCloseable {

    private static final String SCRIPT = """
            #!/bin/sh
            dir=$(dirname "$0")
            [ "$1" = "get" ] || { echo "unsupported action $1" >&2; exit 2; }
            server=$(cat)
            printf '%s\\n' "$server" >> "$dir/calls"
            if [ -f "$dir/hang" ]; then sleep 60; fi
            if [ -f "$dir/fail" ]; then cat "$dir/fail" >&2; exit 1; fi
            if [ -f "$dir/notfound" ]; then echo "credentials not found in native keychain"; exit 1; fi
            n=$(wc -l < "$dir/calls" | tr -d ' ')
            if [ -f "$dir/secret.$n" ]; then secret=$(cat "$dir/secret.$n"); else secret=$(cat "$dir/secret"); fi
            user=$(cat "$dir/user")
            printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" "$user" "$secret"
            """;

    private final String name;
    private final Path dir;

    private CredentialHelperScript(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    /** Writes {@code docker-credential-NAME} into a fresh directory; it answers {@code user} / {@code secret}. */
    public static CredentialHelperScript create(String name, String user, String secret) {
        Path dir = TempDirectory.create("ferry-cred-helper-");
        try {
            Path script = dir.resolve("docker-credential-" + name);
            Files.writeString(script, SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            CredentialHelperScript helper = new CredentialHelperScript(name, dir);
            helper.answer(user, secret);
            return helper;
        } catch (IOException e) {
            TempDirectory.deleteRecursively(dir);
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The directory holding the executable: put it on PATH. */
    public Path dir() {
        return dir;
    }

    /** From now on every call answers {@code user} / {@code secret} (a user {@code <token>}: an identity token). */
    public CredentialHelperScript answer(String user, String secret) {
        write("user", user);
        write("secret", secret);
        return this;
    }

    /** The {@code n}-th call (from 1) answers this secret instead. */
    public CredentialHelperScript answerOnCall(int n, String secret) {
        write("secret." + n, secret);
        return this;
    }

    /** Every call fails with exit code 1 and this line on stderr. */
    public CredentialHelperScript failWith(String stderr) {
        write("fail", stderr);
        return this;
    }

    /** Every call says it has no credentials, as the helpers do. */
    public CredentialHelperScript knowsNothing() {
        write("notfound", "");
        return this;
    }

    /** Every call sleeps a minute before answering. */
    public CredentialHelperScript hang() {
        write("hang", "");
        return this;
    }

    /** The server URLs the helper was asked for, one per call. */
    public List<String> calls() {
        Path calls = dir.resolve("calls");
        try {
            return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        TempDirectory.deleteRecursively(dir);
    }
}
