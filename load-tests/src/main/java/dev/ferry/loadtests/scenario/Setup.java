package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** How to run Ferry's JVMs and where a scenario works and writes. */
record Setup(Path jar, List<String> javaOptions, int concurrency, Path work, Path out) {

    /** {@code java OPTIONS -jar ferry.jar}, ready for a command's arguments. */
    List<String> java() {
        List<String> command = new ArrayList<>();
        command.add("java");
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
