package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU seconds used by processes, from {@code /proc} (Linux): where a scenario's time went
 * when every tool shares the machine's cores with the registries it talks to.
 */
final class Cpu {

    /** Clock ticks per second of {@code /proc/PID/stat}; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    private Cpu() {}

    /** User + system seconds of a running process; 0 when it cannot be read (not Linux, gone). */
    static double of(long pid) {
        return fields("/proc/" + pid + "/stat", 13, 14);
    }

    /** User + system seconds of this JVM's children that have been waited for (e.g. skopeo). */
    static double ofWaitedChildren() {
        return fields("/proc/self/stat", 15, 16);
    }

    /** The sum of the given 0-based fields after the command name, in seconds. */
    private static double fields(String file, int... indexes) {
        try {
            String stat = Files.readString(Path.of(file));
            // The command name is in parentheses and may hold spaces: count fields after it.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double ticks = 0;
            for (int i : indexes) {
                ticks += Long.parseLong(rest[i - 2]);
            }
            return ticks / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A CPU note for a report row, e.g. "cpu s: ferry 3.1, registries 5.9". */
    static String note(String tool, double toolSeconds, double registrySeconds) {
        return String.format(Locale.ROOT, "cpu s: %s %.1f, registries %.1f", tool, toolSeconds, registrySeconds);
    }
}
