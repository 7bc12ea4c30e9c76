package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ferry standalone} as a separate JVM. Warm: started once and asked to sync over the
 * control API ({@code POST /v1/policies/NAME/sync?wait=true}), timed from request to the run's
 * end. Cold: {@code standalone --once}, timed from JVM start to exit.
 */
final class FerryStandalone implements AutoCloseable {

    /** The result of one sync: how long it took, the run's state and its job counts. */
    record Sync(double seconds, String state, String counts) {}

    private final Process process;
    private final String api;

    private FerryStandalone(Process process, String api) {
        this.process = process;
        this.api = api;
    }

    static FerryStandalone start(Setup setup, Path schedule, Path dataDir, Path log)
            throws IOException, InterruptedException {
        String api = "127.0.0.1:" + Ports.free();
        List<String> command = setup.java();
        command.addAll(List.of(
                "standalone",
                "--config",
                schedule.toString(),
                "--api",
                api,
                "--data-dir",
                dataDir.toString(),
                "--concurrency",
                Integer.toString(setup.concurrency())));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        FerryStandalone ferry = new FerryStandalone(p, api);
        try {
            Http.awaitOk(
                    "http://" + api + "/health/ready", Duration.ofSeconds(120), "ferry standalone (log " + log + ")");
        } catch (RuntimeException | InterruptedException e) {
            ferry.close();
            throw e;
        }
        return ferry;
    }

    /** CPU seconds this standalone has used so far. */
    double cpuSeconds() {
        return Cpu.of(process.pid());
    }

    Sync sync(String policy) throws IOException, InterruptedException {
        return sync(api, policy);
    }

    /** A sync of {@code policy} over the control API at {@code api} (host:port), waiting for the run's end. */
    static Sync sync(String api, String policy) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<String> response =
                Http.send("POST", "http://" + api + "/v1/policies/" + policy + "/sync?wait=true", Duration.ofHours(2));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "sync of " + policy + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = ManifestParser.mapper().readTree(response.body());
        return new Sync(
                seconds, body.path("state").asText(), body.path("counts").toString());
    }

    /**
     * Registry requests this standalone has sent so far, by {@code registry method kind} (from
     * {@code ferry_registry_request_seconds_count}), with the plans' target checks by how they
     * were made ({@code checks record}, {@code checks head}, {@code checks list}, from {@code ferry_plan_target_checks_total}).
     */
    Map<String, Double> requests() throws IOException, InterruptedException {
        HttpResponse<String> response = Http.send("GET", "http://" + api + "/metrics", Duration.ofSeconds(30));
        Map<String, Double> counts = new TreeMap<>();
        Matcher m = METRIC.matcher(response.body());
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String key = m.group(1).equals("ferry_plan_target_checks_total")
                    ? "checks " + labels.get("by")
                    : labels.get("registry") + " " + labels.get("method") + " " + labels.get("kind");
            counts.merge(key, Double.parseDouble(m.group(3)), Double::sum);
        }
        return counts;
    }

    /** What {@link #requests} counted between two readings, nonzero entries only, as one line. */
    static String requestNote(Map<String, Double> before, Map<String, Double> after) {
        StringBuilder note = new StringBuilder("requests:");
        after.forEach((key, n) -> {
            long d = Math.round(n - before.getOrDefault(key, 0.0));
            if (d != 0) {
                note.append(' ').append(key).append('=').append(d).append(';');
            }
        });
        return note.toString();
    }

    private static final Pattern METRIC = Pattern.compile(
            "^(ferry_registry_request_seconds_count|ferry_plan_target_checks_total)\\{([^}]*)\\} ([0-9.E+]+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** {@code standalone --once}: JVM start, one reconcile of every policy of {@code schedule}, exit. */
    static Sync once(Setup setup, Path schedule, Path dataDir, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(setup.oneShotJava());
        command.addAll(List.of(
                "standalone",
                "--once",
                "--config",
                schedule.toString(),
                "--data-dir",
                dataDir.toString(),
                "--concurrency",
                Integer.toString(setup.concurrency())));
        long t0 = System.nanoTime();
        int exit = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start()
                .waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Sync(seconds, exit == 0 ? "succeeded" : "exit " + exit, "see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
