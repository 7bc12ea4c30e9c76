package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
