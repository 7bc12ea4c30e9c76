package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A CNCF distribution registry ({@code docker-registry serve}) on a free loopback port, storage under {@code dir}. */
final class LocalRegistry implements AutoCloseable {

    private final Path dir;
    private final int port;
    private volatile Process process;

    private LocalRegistry(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("storage"));
        int port = Ports.free();
        Files.writeString(dir.resolve("config.yml"), """
        version: 0.1
        log: { level: warn, accesslog: { disabled: true } }
        storage:
          filesystem: { rootdirectory: %s }
          delete: { enabled: true }
        http: { addr: 127.0.0.1:%d }
        """.formatted(dir.resolve("storage"), port));
        LocalRegistry registry = new LocalRegistry(dir, port);
        try {
            registry.launch();
        } catch (IOException | RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(
                        "docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("registry.log").toFile()))
                .start();
        Http.awaitOk(url() + "/v2/", Duration.ofSeconds(20), "docker-registry in " + dir);
    }

    /** Stops this registry at once (SIGKILL). */
    void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly().waitFor();
        }
    }

    /** Starts a killed registry again: same port, same storage. */
    void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** CPU seconds this registry has used so far. */
    double cpuSeconds() {
        return Cpu.of(process.pid());
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    String url() {
        return "http://" + host();
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }
}
