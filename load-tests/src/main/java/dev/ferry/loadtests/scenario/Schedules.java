package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the schedule files the scenarios run Ferry with. */
final class Schedules {

    private Schedules() {}

    /** One registry entry per host: {@code source} first, then {@code target-1..n}. */
    static String registries(String source, List<String> targets) {
        StringBuilder s = new StringBuilder("version: 1\nregistries:\n");
        s.append("  - { name: source, url: \"http://").append(source).append("\", insecure: true }\n");
        // FERRY_BENCH_PER_REPOSITORY=N sets the targets' maxConcurrencyPerRepository (1: the old one writer per
        // repository).
        String perRepository = System.getenv("FERRY_BENCH_PER_REPOSITORY");
        String cap = perRepository == null || perRepository.isBlank()
                ? ""
                : ", maxConcurrencyPerRepository: " + Integer.parseInt(perRepository.trim());
        for (int i = 0; i < targets.size(); i++) {
            s.append("  - { name: target-")
                    .append(i + 1)
                    .append(", url: \"http://")
                    .append(targets.get(i))
                    .append("\", insecure: true")
                    .append(cap)
                    .append(" }\n");
        }
        return s.append("policies:\n").toString();
    }

    /** A policy copying every tag of {@code pattern} to the targets numbered {@code targets} (1-based) under {@code prefix}. */
    static String policy(String name, String pattern, List<Integer> targets, String prefix, String trigger) {
        StringBuilder s = new StringBuilder();
        s.append("  - name: ").append(name).append('\n');
        s.append("    source: { registry: source, repositories: [\"")
                .append(pattern)
                .append("\"] }\n");
        s.append("    targets:\n");
        // FERRY_BENCH_RECHECK sets the targets' recheck (0: a manifest HEAD per tag and target on every run).
        String recheck = System.getenv("FERRY_BENCH_RECHECK");
        String trust = recheck == null || recheck.isBlank() ? "" : ", recheck: " + recheck.trim();
        for (int i : targets) {
            s.append("      - { registry: target-")
                    .append(i)
                    .append(", prefix: \"")
                    .append(prefix)
                    .append('"')
                    .append(trust)
                    .append(" }\n");
        }
        s.append("    trigger: ").append(trigger).append('\n');
        return s.toString();
    }

    static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }
}
