package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The peer: Debian's {@code skopeo sync} of every tag of the given repositories, all platforms,
 * from one registry into {@code destination/PREFIX/REPO} on another, in one process.
 */
final class Skopeo {

    private Skopeo() {}

    static double sync(String sourceHost, List<String> repositories, String destination, Path work, String label)
            throws IOException, InterruptedException {
        StringBuilder yaml = new StringBuilder(sourceHost + ":\n  tls-verify: false\n  images:\n");
        repositories.forEach(r -> yaml.append("    ").append(r).append(": []\n"));
        Path file = work.resolve("skopeo-" + label + ".yaml");
        Files.writeString(file, yaml);
        Path log = work.resolve("skopeo-" + label + ".log");
        long t0 = System.nanoTime();
        int exit = new ProcessBuilder(
                        "skopeo",
                        "sync",
                        "--all",
                        "--src",
                        "yaml",
                        "--dest",
                        "docker",
                        "--dest-tls-verify=false",
                        file.toString(),
                        destination)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start()
                .waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("skopeo sync exited " + exit + "; see " + log);
        }
        return seconds;
    }
}
