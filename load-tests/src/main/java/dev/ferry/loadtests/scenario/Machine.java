package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The facts a figure needs beside it: cores, memory, Java, and how loaded the machine was. */
final class Machine {

    private Machine() {}

    static Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryGiB", memoryGiB());
        m.put("java", System.getProperty("java.version"));
        m.put("loadAverage", loadAverage());
        return m;
    }

    static String describe() {
        Map<String, Object> f = facts();
        return f.get("cores") + " cores, " + f.get("memoryGiB") + " GiB, Java " + f.get("java") + ", load "
                + f.get("loadAverage");
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long memoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
