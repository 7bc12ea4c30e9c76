package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How to run Ferry's JVMs and where a scenario works and writes.
 *
 * @param warm whether peer scenarios time a running standalone too (false: only cold runs and skopeo)
 * @param oneShotOptions JVM options of a one-shot run ({@code standalone --once}), before {@code javaOptions}
 * @param baseline another Ferry (jar and its archive) whose cold runs are interleaved with this one's, or null
 */
record Setup(
        Path jar,
        List<String> javaOptions,
        List<String> oneShotOptions,
        int concurrency,
        Path work,
        Path out,
        boolean warm,
        Setup baseline) {

    /**
     * What {@code scripts/ferry} adds for a one-shot command: C2 thresholds 30 times the JVM's and
     * the serial collector (docs/performance.md, "Cold start"). Keep the two alike.
     */
    static final List<String> ONE_SHOT = List.of(
            "-XX:Tier4InvocationThreshold=150000",
            "-XX:Tier4MinInvocationThreshold=18000",
            "-XX:Tier4CompileThreshold=450000",
            "-XX:Tier4BackEdgeThreshold=1200000",
            "-XX:+UseSerialGC");

    /** {@code java OPTIONS -jar ferry.jar}, ready for a command's arguments. */
    List<String> java() {
        return java(List.of());
    }

    /** {@code java ONE-SHOT-OPTIONS OPTIONS -jar ferry.jar}, as {@code scripts/ferry} runs a one-shot command. */
    List<String> oneShotJava() {
        return java(oneShotOptions);
    }

    private List<String> java(List<String> first) {
        List<String> command = new ArrayList<>();
        command.add("java");
        command.addAll(first);
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /**
     * The scenario's work directory, emptied first: registries keep their storage there, and a
     * rerun must not find the last run's images already copied.
     */
    Path freshWork(String scenario) throws IOException {
        Path dir = work().resolve(scenario);
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
