package dev.ferry.loadtests.scenario;

import dev.ferry.loadtests.gen.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@link ScenarioMain}: a scenario name, then {@code --name value} pairs.
 * Workload options override the scenario's own defaults (so a small first check is one flag away).
 */
record ScenarioOptions(String scenario, Map<String, String> values) {

    static final List<String> NAMES = List.of(
            "runs",
            "warmup",
            "seed",
            "repos",
            "tags",
            "layers",
            "layer-kib",
            "shared",
            "index",
            "concurrency",
            "duration",
            "every",
            "out",
            "work",
            "jar",
            "ferry-java-opts",
            "cds",
            "warm",
            "baseline-jar",
            "members",
            "workers",
            "catch-up");

    static ScenarioOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("first argument must be a scenario: " + ScenarioMain.SCENARIOS);
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown option " + args[i] + "; known: --" + String.join(", --", NAMES));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            values.put(name, args[++i]);
        }
        return new ScenarioOptions(args[0], values);
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got " + v, e);
        }
    }

    double decimal(String name, double fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got " + v, e);
        }
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The scenario's workload with any overrides given on the command line. */
    WorkloadSpec workload(String prefix, int repos, int tags, int layers, int layerKib, double shared, double index) {
        return new WorkloadSpec(
                prefix,
                integer("repos", repos),
                integer("tags", tags),
                integer("layers", layers),
                integer("layer-kib", layerKib) * 1024,
                decimal("shared", shared),
                decimal("index", index),
                integer("seed", 20261128));
    }

    Setup setup() {
        String baselineJar = text("baseline-jar", "");
        // The baseline runs as scripts/ferry ran before it had one-shot JVM options: archive only.
        Setup baseline =
                baselineJar.isEmpty() ? null : setup(Path.of(baselineJar).toAbsolutePath(), List.of(), null);
        return setup(Path.of(text("jar", "coordinator/target/ferry.jar")).toAbsolutePath(), Setup.ONE_SHOT, baseline);
    }

    private Setup setup(Path jar, List<String> oneShot, Setup baseline) {
        List<String> javaOptions = new ArrayList<>();
        String extra = text("ferry-java-opts", "").trim();
        if (!extra.isEmpty()) {
            javaOptions.addAll(List.of(extra.split("\\s+")));
        }
        // As scripts/ferry runs it: with the class-data-sharing archive the build left beside the jar.
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa");
        if (Boolean.parseBoolean(text("cds", "true")) && Files.isRegularFile(archive)) {
            javaOptions.addAll(
                    0, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        return new Setup(
                jar,
                javaOptions,
                oneShot,
                integer("concurrency", 4),
                Path.of(text("work", "load-tests/target/scenario-work")).toAbsolutePath(),
                Path.of(text("out", "load-tests/target")).toAbsolutePath(),
                Boolean.parseBoolean(text("warm", "true")),
                baseline);
    }
}
