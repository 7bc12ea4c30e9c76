package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a scenario measured: one row per timed step, derived figures, and each figure against its
 * goal. Printed as a table and written as {@code scenario-NAME.json}.
 */
final class Report {

    /** One timed step. {@code mib} is the payload it moved (0 when not meaningful). */
    record Row(String step, String tool, int run, double seconds, double mib, String note) {
        public double mibPerSecond() {
            return seconds > 0 && mib > 0 ? mib / seconds : 0;
        }
    }

    /** A figure against its goal; {@code atLeast} false means the figure must stay at or under the target. */
    record Goal(String figure, double measured, double target, boolean atLeast, String unit) {
        public boolean met() {
            return atLeast ? measured >= target : measured <= target;
        }
    }

    private final String scenario;
    private final Map<String, Object> workload = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<Goal> goals = new ArrayList<>();

    Report(String scenario) {
        this.scenario = scenario;
    }

    Report workload(String key, Object value) {
        workload.put(key, value);
        return this;
    }

    void row(String step, String tool, int run, double seconds, double mib, String note) {
        Row row = new Row(step, tool, run, seconds, mib, note);
        rows.add(row);
        System.out.printf(
                Locale.ROOT,
                "   %-10s %-14s run %d  %8.2f s %s %s%n",
                step,
                tool,
                run,
                seconds,
                row.mibPerSecond() > 0 ? String.format(Locale.ROOT, "%8.1f MiB/s", row.mibPerSecond()) : "",
                note);
    }

    List<Row> rows() {
        return rows;
    }

    void figure(String name, Object value) {
        figures.put(name, value);
    }

    void goal(String figure, double measured, double target, boolean atLeast, String unit) {
        goals.add(new Goal(figure, measured, target, atLeast, unit));
    }

    /** Whether any row is of this step and tool. */
    boolean has(String step, String tool) {
        return rows.stream().anyMatch(r -> r.step().equals(step) && r.tool().equals(tool));
    }

    /** The median of the seconds of the rows of one step and tool. */
    double median(String step, String tool) {
        double[] s = rows.stream()
                .filter(r -> r.step().equals(step) && r.tool().equals(tool))
                .mapToDouble(Row::seconds)
                .sorted()
                .toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "==> %s  (%s)%n", scenario, Machine.describe());
        out.println("    workload: " + workload);
        out.println("| step | tool | run | seconds | MiB/s | note |");
        out.println("|---|---|---|---|---|---|");
        for (Row r : rows) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %d | %.2f | %s | %s |%n",
                    r.step(),
                    r.tool(),
                    r.run(),
                    r.seconds(),
                    r.mibPerSecond() > 0 ? String.format(Locale.ROOT, "%.1f", r.mibPerSecond()) : "",
                    r.note());
        }
        figures.forEach((k, v) -> out.printf(Locale.ROOT, "    %s: %s%n", k, v));
        for (Goal g : goals) {
            out.printf(
                    Locale.ROOT,
                    "    goal %-28s %10.2f %s (%s %s) %s%n",
                    g.figure(),
                    g.measured(),
                    g.unit(),
                    g.atLeast() ? ">=" : "<=",
                    trim(g.target()),
                    g.met() ? "MET" : "MISSED");
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("at", Instant.now().toString());
        json.put("machine", Machine.facts());
        json.put("workload", workload);
        json.put("rows", rows);
        json.put("figures", figures);
        List<Map<String, Object>> goalList = new ArrayList<>();
        for (Goal g : goals) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("figure", g.figure());
            m.put("measured", g.measured());
            m.put("target", (g.atLeast() ? ">= " : "<= ") + trim(g.target()) + " " + g.unit());
            m.put("met", g.met());
            goalList.add(m);
        }
        json.put("goals", goalList);
        Path file = dir.resolve("scenario-" + scenario + ".json");
        ManifestParser.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        return file;
    }
}
