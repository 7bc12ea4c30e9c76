package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Separate {@code ferry coordinator} and {@code ferry worker} processes for one test, each
 * logging into the test's directory, all killed on {@link #close()}.
 */
final class FerryProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Starts a one-member coordinator (its own cluster name) on {@code schedule}; returns its API port once ready. */
    int coordinator(Path dir, Path schedule) throws Exception {
        int api = FreePort.forListener();
        processes.add(FerryProcess.start(
                dir.resolve("c.log"),
                "coordinator",
                "--config",
                schedule.toString(),
                "--api",
                "127.0.0.1:" + api,
                "--cluster-port",
                String.valueOf(FreePort.forListener()),
                "--cluster-name",
                "ferry-it-" + UUID.randomUUID(),
                "--data-dir",
                dir.resolve("data").toString()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> get(api, "/health/ready") != null);
        return api;
    }

    /**
     * Starts {@code n} coordinator members of one cluster (a random cluster name) on
     * {@code schedule}; returns their API ports once every one is ready.
     */
    int[] members(Path dir, Path schedule, int n) throws Exception {
        String name = "ferry-it-" + UUID.randomUUID();
        int[] cluster = new int[n];
        int[] apis = new int[n];
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < n; i++) {
            cluster[i] = FreePort.forListener();
            apis[i] = FreePort.forListener();
            members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(cluster[i]);
        }
        for (int i = 0; i < n; i++) {
            processes.add(FerryProcess.start(
                    dir.resolve("m" + (i + 1) + ".log"),
                    "coordinator",
                    "--config",
                    schedule.toString(),
                    "--api",
                    "127.0.0.1:" + apis[i],
                    "--cluster-port",
                    String.valueOf(cluster[i]),
                    "--members",
                    members.toString(),
                    "--cluster-name",
                    name,
                    "--data-dir",
                    dir.resolve("d" + (i + 1)).toString()));
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> java.util.Arrays.stream(apis).allMatch(FerryProcess::ready));
        return apis;
    }

    /** The body and ETag of a GET, or null for any status but 200. */
    String[] getWithEtag(int api, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200
                ? new String[] {r.body(), r.headers().firstValue("ETag").orElse("")}
                : null;
    }

    /** The Prometheus text of a member's {@code GET /metrics}. */
    String metrics(int api) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Starts a worker of the coordinator at {@code api}, logging to {@code dir/name.log}. */
    Process worker(Path dir, int api, String name, String region, int concurrency, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "worker",
                "--coordinator",
                "http://127.0.0.1:" + api,
                "--region",
                region,
                "--concurrency",
                String.valueOf(concurrency)));
        args.addAll(List.of(more));
        Process p = FerryProcess.start(dir.resolve(name + ".log"), args.toArray(String[]::new));
        processes.add(p);
        return p;
    }

    /** The JSON body of a GET on the API, or null for any status but 200. */
    /** The JSON answer of a GET of {@code path} from the API on {@code api}, or null when it is not a 2xx. */
    JsonNode get(int api, String path) {
        try {
            return api(api).get(path);
        } catch (ControlClient.ApiError e) {
            return null;
        }
    }

    /** The control API client of the member whose API is on loopback port {@code api}. */
    ControlClient api(int api) {
        return ControlClient.of("http://127.0.0.1:" + api);
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
