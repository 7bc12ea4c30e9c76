package dev.ferry.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code target/ferry.jar} as a separate JVM, as a user would. */
final class FerryProcess {

    record Result(int exitCode, String stdout, String stderr) {}

    private FerryProcess() {}

    static Result run(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        return run(jvmArgs, Map.of(), args);
    }

    /**
     * As {@link #run(List, String...)} with more environment variables (e.g. a PATH with a
     * credential helper, HTTPS_PROXY).
     */
    static Result run(List<String> jvmArgs, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = javaCommand(jvmArgs, args);
        Path out = Files.createTempFile("ferry-out", ".txt");
        Path err = Files.createTempFile("ferry-err", ".txt");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("ferry did not finish in 5 minutes: " + String.join(" ", args));
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts ferry in the background, output to {@code log}; the caller stops it. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, List.of(), Map.of(), args);
    }

    /** As above, with JVM options (e.g. {@code -DFERRY_LOG_LEVEL=DEBUG}). */
    static Process start(Path log, List<String> jvmArgs, String... args) throws IOException {
        return start(log, jvmArgs, Map.of(), args);
    }

    /** Starts ferry in the background with more environment variables, output to {@code log}. */
    static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        return start(log, List.of(), env, args);
    }

    /** Starts ferry in the background with JVM options and more environment variables. */
    static Process start(Path log, List<String> jvmArgs, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = javaCommand(jvmArgs, args);
        ProcessBuilder builder =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /**
     * {@code java [jvmArgs] -jar target/ferry.jar args}, as {@code scripts/ferry} runs it: with the build's
     * class-data-sharing archive when the build made one (it saves a second or more of CPU per start, and the ITs
     * start a few hundred Ferry JVMs). The archive fits only the jar's absolute path it was made with; a JVM that
     * finds it does not fit ignores it and starts as without it.
     */
    private static List<String> javaCommand(List<String> jvmArgs, String... args) {
        Path jar = Path.of("target", "ferry.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("target/ferry.jar is missing: run the package phase first");
        }
        Path archive = jar.resolveSibling("ferry.jsa");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Files.isRegularFile(archive)) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(), args);
    }

    /** Whether a ferry API on loopback answers {@code /health/ready} with 200. */
    static boolean ready(int apiPort) {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/health/ready"))
                                            .build(),
                                    BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
