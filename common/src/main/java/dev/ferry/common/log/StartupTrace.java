package dev.ferry.common.log;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a one-shot run's time goes: with {@code -Dferry.trace.startup=true}, each phase mark
 * prints one line to standard error, {@code ferry-trace PHASE wall=S cpu=S}, the seconds since
 * the JVM started and the CPU seconds the whole process (every thread: the JIT's, the GC's) has
 * used by then, both read from {@code /proc} through {@link ProcessHandle}. Linux keeps the boot
 * time in whole seconds, so the zero of {@code wall} can be off by up to a second: compare the
 * phases of one run. Off by default, and then a mark costs one field read. A phase is printed
 * the first time it is marked only, so "first lease" or "first blob read" can be marked on
 * every lease or read.
 */
public final class StartupTrace {

    private static final boolean ON = Boolean.getBoolean("ferry.trace.startup");
    private static final Set<String> SEEN = ON ? ConcurrentHashMap.newKeySet() : Set.of();

    private StartupTrace() {}

    /** Prints the phase with its wall and CPU seconds, the first time it is marked. */
    public static void mark(String phase) {
        if (ON && SEEN.add(phase)) {
            print(phase, System.err);
        }
    }

    /**
     * Prints the CPU seconds of this process's live threads, summed by name without its trailing
     * number (Linux keeps 15 characters of a name: "C2 CompilerThre", "vert.x-eventloo"), most
     * first: who used the CPU of a short run. Threads that have ended are not counted.
     */
    public static void threads() {
        if (!ON) {
            return;
        }
        Map<String, Double> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException ended) {
                    continue; // the thread ended since the listing
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceAll("[0-9]+$", "");
                String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime: fields 14 and 15 of stat, 11 and 12 after the state
                double seconds = (Long.parseLong(rest[11]) + Long.parseLong(rest[12])) / 100.0;
                byName.merge(name, seconds, Double::sum);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("ferry-trace threads: cannot read /proc/self/task: " + e);
            return;
        }
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() > 0)
                .forEach(e -> System.err.printf("ferry-trace thread %s cpu=%.2f%n", e.getKey(), e.getValue()));
    }

    private static void print(String phase, PrintStream out) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        double wall = info.startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis() / 1000.0)
                .orElse(-1.0);
        double cpu = info.totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(-1.0);
        out.printf("ferry-trace %s wall=%.2f cpu=%.2f%n", phase, wall, cpu);
    }
}
