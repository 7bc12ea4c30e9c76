package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A {@code ferry coordinator} and one {@code ferry worker} as separate JVMs, the worker
 * reaching the coordinator over the HTTP lease protocol: where the protocol's cost shows.
 * Synced like {@link FerryStandalone}, over the coordinator's control API.
 */
final class FerryRemote implements AutoCloseable {

    private final Process coordinator;
    private final Process worker;
    private final String api;

    private FerryRemote(Process coordinator, Process worker, String api) {
        this.coordinator = coordinator;
        this.worker = worker;
        this.api = api;
    }

    static FerryRemote start(Setup setup, Path schedule, Path work) throws IOException, InterruptedException {
        String api = "127.0.0.1:" + Ports.free();
        List<String> c = setup.java();
        c.addAll(List.of(
                "coordinator",
                "--config",
                schedule.toString(),
                "--api",
                api,
                "--data-dir",
                work.resolve("data-coordinator").toString(),
                "--cluster-port",
                Integer.toString(Ports.free()),
                "--cluster-name",
                "ferry-bench-" + UUID.randomUUID()));
        Process coordinator = new ProcessBuilder(c)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("ferry-coordinator.log").toFile())
                .start();
        Process worker = null;
        try {
            Http.awaitOk("http://" + api + "/health/ready", Duration.ofSeconds(120), "ferry coordinator");
            List<String> w = setup.java();
            w.addAll(List.of(
                    "worker",
                    "--coordinator",
                    "http://" + api,
                    "--region",
                    "local",
                    "--concurrency",
                    Integer.toString(setup.concurrency())));
            worker = new ProcessBuilder(w)
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("ferry-worker.log").toFile())
                    .start();
        } catch (IOException | RuntimeException | InterruptedException e) {
            coordinator.destroy();
            throw e;
        }
        return new FerryRemote(coordinator, worker, api);
    }

    double coordinatorCpuSeconds() {
        return Cpu.of(coordinator.pid());
    }

    double workerCpuSeconds() {
        return Cpu.of(worker.pid());
    }

    FerryStandalone.Sync sync(String policy) throws IOException, InterruptedException {
        return FerryStandalone.sync(api, policy);
    }

    /** The coordinator's Prometheus text. */
    String metrics() throws IOException, InterruptedException {
        return Http.send("GET", "http://" + api + "/metrics", Duration.ofSeconds(30))
                .body();
    }

    @Override
    public void close() throws InterruptedException {
        worker.destroy();
        worker.waitFor();
        coordinator.destroy();
        coordinator.waitFor();
    }
}
