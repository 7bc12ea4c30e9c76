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
}
