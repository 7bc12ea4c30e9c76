package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A CNCF distribution registry ({@code docker-registry serve}) on a free loopback port, storage under {@code dir}. */
final class LocalRegistry implements AutoCloseable {

    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("storage"));
        int port = Ports.free();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
        version: 0.1
        log: { level: warn, accesslog: { disabled: true } }
        storage:
          filesystem: { rootdirectory: %s }
          delete: { enabled: true }
        http: { addr: 127.0.0.1:%d }
        """.formatted(dir.resolve("storage"), port));
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(p, port);
        try {
            Http.awaitOk(registry.url() + "/v2/", Duration.ofSeconds(20), "docker-registry in " + dir);
        } catch (RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        return registry;
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
        process.destroy();
    }
}
