package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real CNCF distribution ({@code docker-registry serve}) process on a free loopback port, with
 * its storage, configuration and log in a fresh temporary directory that {@link #close()} deletes.
 *
 * <p>Access-log lines are written after the response has been sent, so a client can see its
 * response before the line exists; use {@link #awaitRequests} when asserting on requests that
 * just happened.
 */
public final class RegistryProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryProcess.class);
    private static final int START_ATTEMPTS = 3;
    private static final Duration DEFAULT_AWAIT = Duration.ofSeconds(5);

    private final RegistryOptions options;
    private final Path workDir;
    private final Path storageDir;
    private final Path logFile;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;
    private volatile LogMark baseline = LogMark.START;

    private RegistryProcess(
            RegistryOptions options, Path workDir, Path storageDir, Path logFile, int port, Process process) {
        this.options = options;
        this.workDir = workDir;
        this.storageDir = storageDir;
        this.logFile = logFile;
        this.port = port;
        this.process = process;
        this.shutdownHook = new Thread(this::emergencyStop, "registry-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A registry without authentication. */
    public static RegistryProcess plain() {
        return start(RegistryOptions.defaults());
    }

    /** A registry with {@code auth.htpasswd} and one bcrypt user. */
    public static RegistryProcess withBasicAuth(String username, String password) {
        return start(RegistryOptions.defaults().withBasicAuth(username, password));
    }

    /** A registry with {@code auth.token} trusting {@code issuer} (which must already be running). */
    public static RegistryProcess withTokenAuth(TokenIssuer issuer) {
        return start(RegistryOptions.defaults().withTokenAuth(issuer));
    }

    /**
     * Starts a registry and waits until {@code GET /v2/} answers.
     *
     * @throws IllegalStateException with the registry's log if it does not become ready in time
     */
    public static RegistryProcess start(RegistryOptions options) {
        Path workDir = TempDirectory.create("ferry-registry-");
        try {
            return startIn(workDir, options);
        } catch (RuntimeException | Error e) {
            TempDirectory.deleteRecursively(workDir);
            throw e;
        }
    }

    private static RegistryProcess startIn(Path workDir, RegistryOptions options) {
        Path storageDir = workDir.resolve("storage");
        Path configFile = workDir.resolve("config.yml");
        Path htpasswdFile = workDir.resolve("htpasswd");
        try {
            Files.createDirectories(storageDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (options.auth() instanceof RegistryAuth.Basic basic) {
            Htpasswd.write(htpasswdFile, basic.username(), basic.password());
        }
        IllegalStateException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = FreePort.find();
            Path logFile = workDir.resolve("registry-" + attempt + ".log");
            write(
                    configFile,
                    new RegistryConfig(port, storageDir, options.auth(), htpasswdFile, options.notifications())
                            .withTls(options.tls())
                            .toYaml());
            RegistryProcess registry = new RegistryProcess(
                    options, workDir, storageDir, logFile, port, launch(options.binary(), configFile, logFile));
            try {
                registry.awaitReady(options.startupTimeout());
                LOG.info(
                        "registry started at {} (auth: {}, dir: {})",
                        registry.url(),
                        options.auth().getClass().getSimpleName(),
                        workDir);
                return registry;
            } catch (RuntimeException | Error e) {
                registry.stopAndUnhook();
                if (!(e instanceof IllegalStateException ise)) {
                    throw e;
                }
                lastFailure = ise;
                if (!ise.getMessage().contains("address already in use")) {
                    throw ise;
                }
                LOG.warn("registry port {} was taken, retrying", port);
            }
        }
        throw lastFailure;
    }

    private static Process launch(String binary, Path configFile, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(binary, "serve", configFile.toString())
                .directory(configFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // REGISTRY_* variables override the configuration file; do not inherit any.
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + " (is the docker-registry package installed?)", e);
        }
    }

    private void awaitReady(Duration timeout) {
        if (options.tls() != null) {
            awaitListening(timeout);
            return;
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url() + "/v2/"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "registry exited with code " + process.exitValue() + " during startup; log:\n" + logText());
            }
            try {
                int status = client.send(ping, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("registry did not answer GET /v2/ within " + timeout + "; log:\n" + logText());
    }

    /**
     * Waits until the HTTPS port accepts connections: the test's certificates may be ones a
     * client must refuse (expired, another host), so readiness does not depend on a handshake.
     */
    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "registry exited with code " + process.exitValue() + " during startup; log:\n" + logText());
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(FreePort.loopback(), port), 1000);
                if (logText().contains("listening on")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException("registry did not listen within " + timeout + "; log:\n" + logText());
    }

    /** {@code 127.0.0.1:PORT}, for image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT} ({@code https://} when serving TLS), without trailing slash. */
    public String url() {
        return (options.tls() != null ? "https://" : "http://") + host();
    }

    public boolean isTls() {
        return options.tls() != null;
    }

    public int port() {
        return port;
    }

    public Path storageDir() {
        return storageDir;
    }

    /**
     * The upload sessions the registry holds open for {@code repository}: the directories of its
     * {@code _uploads} storage that hold a session's {@code startedat} or {@code data} file. A
     * session is there from the POST that opened it until it is committed or cancelled (DELETE).
     * Distribution 2.8 leaves a {@code hashstates} stub behind even for a cancelled session (it
     * saves the hash state when it closes the DELETE's request); a stub is not a session.
     */
    public List<String> uploadSessions(String repository) {
        Path uploads = storageDir
                .resolve("docker/registry/v2/repositories")
                .resolve(repository)
                .resolve("_uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(uploads)) {
            return entries.filter(p -> Files.exists(p.resolve("startedat")) || Files.exists(p.resolve("data")))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + uploads, e);
        }
    }

    /** Temporary directory holding config, storage and logs; deleted by {@link #close()}. */
    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return logFile;
    }

    public RegistryAuth auth() {
        return options.auth();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The whole log file as text (including a last line that is still being written). */
    public String logText() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Complete log lines (registry log and access log interleaved) since the last {@link #clearLog()}. */
    public List<String> log() {
        return logSince(baseline);
    }

    /** Complete log lines written after {@code mark}. */
    public List<String> logSince(LogMark mark) {
        List<String> all = completeLines();
        return mark.line() >= all.size() ? List.of() : List.copyOf(all.subList(mark.line(), all.size()));
    }

    /** Access-log entries since the last {@link #clearLog()}. */
    public List<AccessLogEntry> accessLog() {
        return accessLogSince(baseline);
    }

    public List<AccessLogEntry> accessLogSince(LogMark mark) {
        List<AccessLogEntry> entries = new ArrayList<>();
        for (String line : logSince(mark)) {
            AccessLogEntry.parse(line).ifPresent(entries::add);
        }
        return entries;
    }

    /**
     * Access-log entries since the last {@link #clearLog()} with the given method whose path
     * (without query string) fully matches {@code pathRegex}.
     */
    public List<AccessLogEntry> requests(String method, String pathRegex) {
        return requestsSince(baseline, method, pathRegex);
    }

    public List<AccessLogEntry> requestsSince(LogMark mark, String method, String pathRegex) {
        Pattern pattern = pathRegex == null ? null : Pattern.compile(pathRegex);
        return accessLogSince(mark).stream()
                .filter(e -> e.matches(method, pattern))
                .toList();
    }

    public int countRequests(String method, String pathRegex) {
        return requests(method, pathRegex).size();
    }

    /**
     * Waits (up to 5 s) until at least {@code atLeast} matching requests have been logged since the
     * last {@link #clearLog()}.
     *
     * @throws AssertionError listing the access log if they do not show up
     */
    public List<AccessLogEntry> awaitRequests(String method, String pathRegex, int atLeast) {
        return awaitRequestsSince(baseline, method, pathRegex, atLeast, DEFAULT_AWAIT);
    }

    public List<AccessLogEntry> awaitRequestsSince(
            LogMark mark, String method, String pathRegex, int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<AccessLogEntry> found = requestsSince(mark, method, pathRegex);
            if (found.size() >= atLeast) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected at least " + atLeast + " " + method + " " + pathRegex
                        + " requests but found " + found.size() + "; access log:\n"
                        + String.join(
                                "\n",
                                accessLogSince(mark).stream()
                                        .map(AccessLogEntry::line)
                                        .toList()));
            }
            sleep(50);
        }
    }

    /** The current end of the log, for {@link #accessLogSince} and {@link #requestsSince}. */
    public LogMark mark() {
        return new LogMark(completeLines().size());
    }

    /** Makes {@link #log()}, {@link #accessLog()} and {@link #requests} ignore everything logged so far. */
    public void clearLog() {
        baseline = mark();
    }

    private List<String> completeLines() {
        String text = logText();
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        return List.of(text.substring(0, end).split("\n", -1));
    }

    /**
     * Kills the registry process with SIGKILL, as a crash would, and keeps its storage and
     * configuration for {@link #restart()}. The killed instance must not be closed after a
     * restart: close the new one, which owns the directory.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM is already shutting down
        }
    }

    /** Starts the registry again on the same port with the same storage, after {@link #kill()}. */
    public RegistryProcess restart() {
        Path configFile = workDir.resolve("config.yml");
        Path newLog = workDir.resolve("registry-restart-" + System.nanoTime() + ".log");
        RegistryProcess again = new RegistryProcess(
                options, workDir, storageDir, newLog, port, launch(options.binary(), configFile, newLog));
        again.awaitReady(options.startupTimeout());
        LOG.info("registry restarted at {}", again.url());
        return again;
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s) and deletes the temporary directory. */
    @Override
    public void close() {
        stopAndUnhook();
        TempDirectory.deleteRecursively(workDir);
    }

    private void stopAndUnhook() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM is already shutting down
        }
    }

    /** Shutdown hook for registries a test forgot to close. */
    private void emergencyStop() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            TempDirectory.deleteRecursively(workDir);
        } catch (InterruptedException | RuntimeException e) {
            // best effort while the JVM exits
        }
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "RegistryProcess[" + url() + ", auth=" + options.auth() + "]";
    }
}
