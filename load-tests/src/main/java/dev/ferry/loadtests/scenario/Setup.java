package dev.ferry.loadtests.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
  Path freshWork(String scenario) throws java.io.IOException {
    Path dir = work().resolve(scenario);
    if (java.nio.file.Files.exists(dir)) {
      try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(dir)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(p);
        }
      }
    }
    return java.nio.file.Files.createDirectories(dir);
  }
}
