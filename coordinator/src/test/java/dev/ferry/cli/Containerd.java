package dev.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A containerd daemon of the test's own: its root, state and sockets in a fresh directory under
 * /tmp (a unix socket path must stay under 108 bytes), the CRI plugin off, and {@code ctr} against
 * it. Pulls unpack with the {@code native} snapshotter, which needs no overlay mounts. containerd
 * needs root; {@link #start()} says why when it cannot run.
 */
final class Containerd implements AutoCloseable {

    private final Path dir;
    private final Process process;

    private Containerd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** The result of one {@code ctr} command. */
    record Result(int exitCode, String output) {}

    static Containerd start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ctd-");
        Path config = Files.writeString(dir.resolve("config.toml"), """
        version = 2
        root = "%1$s/root"
        state = "%1$s/state"
        disabled_plugins = ["io.containerd.grpc.v1.cri"]
        [grpc]
          address = "%1$s/c.sock"
        [ttrpc]
          address = "%1$s/c.sock.ttrpc"
        [debug]
          address = "%1$s/d.sock"
        """.formatted(dir));
        Process p = new ProcessBuilder("containerd", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile())
                .start();
        Containerd c = new Containerd(dir, p);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!p.isAlive()) {
                String log = Files.readString(dir.resolve("containerd.log"));
                c.close();
                throw new IllegalStateException("containerd exited with " + p.exitValue() + ":\n" + log);
            }
            if (c.ctr("version").exitCode() == 0) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("containerd.log"));
                c.close();
                throw new IllegalStateException("containerd did not answer within 30 s:\n" + log);
            }
            Thread.sleep(200);
        }
    }

    /** {@code ctr images pull --hosts-dir DIR} of {@code ref}, unpacked with the native snapshotter. */
    Result pull(Path hostsDir, String ref) throws Exception {
        return ctr("images", "pull", "--hosts-dir", hostsDir.toString(), "--snapshotter", "native", ref);
    }

    Result ctr(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "ctr", "--address", dir.resolve("c.sock").toString(), "--namespace", "ferry-test", "--timeout", "60s"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("ctr.out");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("ctr did not finish in 2 minutes: " + String.join(" ", args));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // A file containerd still held: the directory stays for a look.
                }
            }
        }
    }
}
