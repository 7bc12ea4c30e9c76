package dev.ferry.common.dockerconfig;

import dev.ferry.common.transport.Credentials;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs a Docker credential helper, {@code docker-credential-NAME get}, as the
 * docker-credential-helpers protocol says: the server URL on stdin, and on stdout a JSON
 * object {@code {ServerURL, Username, Secret}}; a {@code Username} of {@code <token>} means the
 * secret is an identity token. Blocks: call it from a worker thread, never an event loop.
 *
 * <p>Bounded: the helper gets {@link #timeout} to finish and is killed after it, and at most
 * {@link #MAX_OUTPUT_BYTES} of its output is read. Errors name the helper and the registry;
 * neither the secret nor the helper's standard output (which may hold it) appears in them.
 */
public final class CredentialHelper {

    /** A helper's answer is a small JSON object. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;
    /** The first characters of a failing helper's stderr that go into the error. */
    static final int MAX_REASON_CHARS = 200;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** What docker-credential-helpers prints when it has no entry for the server. */
    private static final String NOT_FOUND = "credentials not found";

    private final List<Path> searchPath;
    private final Duration timeout;

    /** @param searchPath the directories to find {@code docker-credential-NAME} in, as PATH lists them */
    public CredentialHelper(List<Path> searchPath, Duration timeout) {
        this.searchPath = List.copyOf(searchPath);
        this.timeout = timeout;
    }

    /** Looks helpers up on this process's PATH. */
    public static CredentialHelper fromEnvironment() {
        String path = System.getenv("PATH");
        List<Path> dirs = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        return new CredentialHelper(dirs, DEFAULT_TIMEOUT);
    }

    static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * The credentials the helper {@code docker-credential-NAME} holds for {@code serverUrl};
     * anonymous when it says it has none.
     *
     * @param registry names the registry in errors
     */
    public Credentials get(String name, String serverUrl, String registry) {
        String program = "docker-credential-" + name;
        String what = "credential helper " + program + " for registry " + registry;
        Path executable = find(program)
                .orElseThrow(() -> new DockerConfigException(
                        what + ": " + program
                                + " was not found on PATH; install it or remove it from the Docker config",
                        false));
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "get").start();
        } catch (IOException e) {
            throw new DockerConfigException(
                    what + " could not be started (" + e.getClass().getSimpleName() + ")", false);
        }
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The helper closed stdin early; its exit code says what happened.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new DockerConfigException(what + " did not answer within " + timeout.toSeconds() + " s", true);
            }
            byte[] stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (process.exitValue() != 0) {
                String stdoutText = new String(stdout, StandardCharsets.UTF_8);
                if (stdoutText.toLowerCase(java.util.Locale.ROOT).contains(NOT_FOUND)) {
                    return Credentials.anonymous();
                }
                throw new DockerConfigException(
                        what + " failed with exit code " + process.exitValue()
                                + reason(err.get(timeout.toMillis(), TimeUnit.MILLISECONDS)),
                        false);
            }
            return parse(stdout, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new DockerConfigException(what + " was interrupted", true);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new DockerConfigException(
                    what + ": its output could not be read"
                            + (e.getCause() instanceof OutputTooLargeException
                                    ? " (more than " + MAX_OUTPUT_BYTES + " bytes)"
                                    : ""),
                    false);
        }
    }

    private static Credentials parse(byte[] stdout, String what) {
        JsonObject json;
        try {
            json = new JsonObject(new String(stdout, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            throw new DockerConfigException(what + " answered with something other than a JSON object", false);
        }
        Object user = json.getValue("Username");
        Object secret = json.getValue("Secret");
        if (!(secret instanceof String s) || s.isEmpty()) {
            throw new DockerConfigException(what + " answered without a Secret", false);
        }
        if ("<token>".equals(user)) {
            return Credentials.identityToken(s);
        }
        if (!(user instanceof String u) || u.isEmpty()) {
            throw new DockerConfigException(what + " answered without a Username", false);
        }
        return Credentials.basic(u, s);
    }

    /** The helper's own words on stderr, shortened; a helper writes its errors there or on stdout. */
    private static String reason(byte[] stderr) {
        String text = new String(stderr, StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline).strip();
        }
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) + "..." : text);
    }

    /** True when {@code docker-credential-NAME} is an executable on the search path. */
    public boolean isInstalled(String name) {
        return find("docker-credential-" + name).isPresent();
    }

    private java.util.Optional<Path> find(String program) {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** Reads a stream to its end on a daemon thread, refusing more than {@link #MAX_OUTPUT_BYTES}. */
    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (stream) {
                        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                        byte[] chunk = new byte[8192];
                        int n;
                        boolean tooLarge = false;
                        // Past the limit the rest is read and dropped, so the helper is not blocked on a full
                        // pipe; the timeout bounds a helper that never stops writing.
                        while ((n = stream.read(chunk)) >= 0) {
                            if (buffer.size() + n > MAX_OUTPUT_BYTES) {
                                tooLarge = true;
                            } else if (!tooLarge) {
                                buffer.write(chunk, 0, n);
                            }
                        }
                        if (tooLarge) {
                            result.completeExceptionally(new OutputTooLargeException());
                        } else {
                            result.complete(buffer.toByteArray());
                        }
                    } catch (IOException e) {
                        result.completeExceptionally(e);
                    }
                },
                "credential-helper-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    private static final class OutputTooLargeException extends IOException {
        OutputTooLargeException() {
            super("output too large");
        }
    }
}
