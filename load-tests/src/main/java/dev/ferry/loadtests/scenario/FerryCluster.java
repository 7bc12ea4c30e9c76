package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Ferry cluster of separate JVMs on loopback: {@code members} {@code ferry coordinator}
 * processes (one Hazelcast cluster, each with its own data directory and API port) and
 * {@code workers} {@code ferry worker} processes, worker i leasing from member i modulo the
 * member count. Any of them can be killed and started again on the same ports and data.
 */
final class FerryCluster implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);

    private final List<Restartable> members = new ArrayList<>();
    private final List<Integer> apiPorts = new ArrayList<>();
    private final List<Restartable> workers = new ArrayList<>();

    private FerryCluster() {}

    static FerryCluster start(Setup setup, Path schedule, Path dir, int memberCount, int workerCount, int slots)
            throws IOException, InterruptedException {
        FerryCluster cluster = new FerryCluster();
        try {
            List<Integer> clusterPorts = new ArrayList<>();
            for (int i = 0; i < memberCount; i++) {
                clusterPorts.add(Ports.free());
                cluster.apiPorts.add(Ports.free());
            }
            String memberList = String.join(
                    ",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
            String name = "ferry-chaos-" + UUID.randomUUID();
            for (int i = 0; i < memberCount; i++) {
                Path data = Files.createDirectories(dir.resolve("member-" + (i + 1)));
                List<String> command = new ArrayList<>(setup.java());
                command.add(1, "-Xmx512m");
                command.addAll(List.of(
                        "coordinator",
                        "--config",
                        schedule.toString(),
                        "--api",
                        "127.0.0.1:" + cluster.apiPorts.get(i),
                        "--cluster-host",
                        "127.0.0.1",
                        "--cluster-port",
                        Integer.toString(clusterPorts.get(i)),
                        "--members",
                        memberList,
                        "--cluster-name",
                        name,
                        "--data-dir",
                        data.toString()));
                Restartable member =
                        new Restartable("member-" + (i + 1), command, dir.resolve("member-" + (i + 1) + ".log"));
                cluster.members.add(member);
                member.start();
            }
            for (int i = 0; i < memberCount; i++) {
                cluster.awaitMember(i);
            }
            for (int i = 0; i < workerCount; i++) {
                List<String> command = new ArrayList<>(setup.java());
                command.add(1, "-Xmx256m");
                command.addAll(List.of(
                        "worker",
                        "--coordinator",
                        cluster.api(i % memberCount),
                        "--region",
                        "local",
                        "--concurrency",
                        Integer.toString(slots),
                        "--id",
                        "worker-" + (i + 1)));
                Restartable worker =
                        new Restartable("worker-" + (i + 1), command, dir.resolve("worker-" + (i + 1) + ".log"));
                cluster.workers.add(worker);
                worker.start();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    int memberCount() {
        return members.size();
    }

    int workerCount() {
        return workers.size();
    }

    /** The control API of member {@code i} (0-based), {@code http://127.0.0.1:PORT}. */
    String api(int i) {
        return "http://127.0.0.1:" + apiPorts.get(i);
    }

    Restartable member(int i) {
        return members.get(i);
    }

    Restartable worker(int i) {
        return workers.get(i);
    }

    /** Waits until member {@code i} answers {@code /health/ready}. */
    void awaitMember(int i) throws InterruptedException {
        Http.awaitOk(
                api(i) + "/health/ready",
                READY,
                members.get(i).name() + " (log " + members.get(i).log() + ")");
    }

    /** The first member that answers {@code /health/ready}, or member 0 when none does now. */
    String anyReadyApi() {
        for (int i = 0; i < members.size(); i++) {
            try {
                if (members.get(i).alive()
                        && Http.send("GET", api(i) + "/health/ready", Duration.ofSeconds(5))
                                        .statusCode()
                                == 200) {
                    return api(i);
                }
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return api(0);
    }

    /** CPU seconds used by the processes running now. */
    double cpuSeconds() {
        double sum = 0;
        for (Restartable r : members) {
            sum += r.cpuSeconds();
        }
        for (Restartable r : workers) {
            sum += r.cpuSeconds();
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        for (Restartable w : workers) {
            w.close();
        }
        for (Restartable m : members) {
            m.close();
        }
    }
}
