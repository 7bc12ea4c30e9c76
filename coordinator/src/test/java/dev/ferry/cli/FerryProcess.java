package dev.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code target/ferry.jar} as a separate JVM, as a user would. */
final class FerryProcess {

    record Result(int exitCode, String stdout, String stderr) {}

    private FerryProcess() {}

    static Result run(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        return run(jvmArgs, java.util.Map.of(), args);
    }

    /**
     * As {@link #run(List, String...)} with more environment variables (e.g. a PATH with a
     * credential helper, HTTPS_PROXY).
     */
    static Result run(List<String> jvmArgs, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "ferry.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("target/ferry.jar is missing: run the package phase first");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
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
        return start(log, List.of(), java.util.Map.of(), args);
    }

    /** As above, with JVM options (e.g. {@code -DFERRY_LOG_LEVEL=DEBUG}). */
    static Process start(Path log, List<String> jvmArgs, String... args) throws IOException {
        return start(log, jvmArgs, java.util.Map.of(), args);
    }

    /** Starts ferry in the background with more environment variables, output to {@code log}. */
    static Process start(Path log, java.util.Map<String, String> env, String... args) throws IOException {
        return start(log, List.of(), env, args);
    }

    /** Starts ferry in the background with JVM options and more environment variables. */
    static Process start(Path log, List<String> jvmArgs, java.util.Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(Path.of("target", "ferry.jar").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(), args);
    }

    /** Whether a ferry API on loopback answers {@code /health/ready} with 200. */
    static boolean ready(int apiPort) {
        try {
            return java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                                    "http://127.0.0.1:" + apiPort + "/health/ready"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
