package dev.ferry.cli;

import dev.ferry.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** A {@code ferry standalone} process serving its API on loopback, and {@code ferry ctl} against it. */
final class StandaloneServer implements AutoCloseable {

    private final Process process;
    private final String url;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    private StandaloneServer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Writes {@code dir/schedule.yaml}: registries {@code source} and {@code mirror} (plain HTTP)
     * and then {@code rest} (defaults, policies), as the ITs that drive standalone use them.
     */
    static Path schedule(Path dir, String sourceUrl, String mirrorUrl, String rest) throws java.io.IOException {
        return java.nio.file.Files.writeString(
                dir.resolve("schedule.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        """.formatted(sourceUrl, mirrorUrl) + rest);
    }

    /** Starts standalone on {@code schedule} with its data and log in {@code dir}; returns when it is ready. */
    static StandaloneServer start(Path dir, Path schedule) throws Exception {
        return start(dir, schedule, FreePort.forListener());
    }

    /** Starts standalone with its API on {@code api}, a port chosen beforehand (registries notify it). */
    static StandaloneServer start(Path dir, Path schedule, int api) throws Exception {
        return start(dir, schedule, api, List.of(), java.util.Map.of());
    }

    /** As above, with JVM options and more environment variables (e.g. a PATH with a credential helper). */
    static StandaloneServer start(
            Path dir, Path schedule, int api, List<String> jvmArgs, java.util.Map<String, String> env)
            throws Exception {
        Process p = FerryProcess.start(
                dir.resolve("standalone.log"),
                jvmArgs,
                env,
                "standalone",
                "--config",
                schedule.toString(),
                "--api",
                "127.0.0.1:" + api,
                "--data-dir",
                dir.resolve("data").toString());
        StandaloneServer server = new StandaloneServer(p, "http://127.0.0.1:" + api);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> FerryProcess.ready(api));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT}. */
    String url() {
        return url;
    }

    /** The control API client {@code ferry ctl} uses, on this server. */
    ControlClient api() {
        return ControlClient.of(url);
    }

    FerryProcess.Result ctl(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "ctl";
        all[1] = "--server";
        all[2] = url;
        System.arraycopy(args, 0, all, 3, args.length);
        return FerryProcess.run(all);
    }

    /** The body of {@code GET /metrics}. */
    String metrics() throws Exception {
        return get("/metrics");
    }

    /** The body of a {@code GET} of {@code path} that answers 200. */
    String get(String path) throws Exception {
        return send("GET", path);
    }

    /** The body of a {@code POST} of {@code path}, without a body, that answers 200. */
    String post(String path) throws Exception {
        return send("POST", path);
    }

    private String send(String method, String path) throws Exception {
        java.net.http.HttpResponse<String> r = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path))
                        .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
    }
}
