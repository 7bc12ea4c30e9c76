package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP egress proxy (Debian's {@code tinyproxy}) on a free loopback port, with its own
 * configuration and log in a temporary directory, accepting clients from 127.0.0.1 only and
 * allowed to reach any port (no {@code ConnectPort} lines). Its log tells which requests went
 * through it: {@link #requests()}.
 */
public final class Tinyproxy implements AutoCloseable {

    private static final Pattern REQUEST = Pattern.compile("Request \\(file descriptor \\d+\\): (\\S+ \\S+)");

    private final Path dir;
    private final Path log;
    private final int port;
    private final Process process;

    private Tinyproxy(Path dir, Path log, int port, Process process) {
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    public static Tinyproxy start() {
        return start(null, null);
    }

    /** A proxy that answers 407 unless the client sends these basic credentials ({@code BasicAuth}). */
    public static Tinyproxy start(String user, String password) {
        Path dir = TempDirectory.create("ferry-tinyproxy-");
        int port = FreePort.find();
        Path log = dir.resolve("tinyproxy.log");
        Path conf = dir.resolve("tinyproxy.conf");
        try {
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "Port " + port,
                            "Listen 127.0.0.1",
                            "Timeout 60",
                            "LogFile \"" + log + "\"",
                            "LogLevel Info",
                            "MaxClients 50",
                            "Allow 127.0.0.1",
                            "DisableViaHeader Yes",
                            user == null ? "" : "BasicAuth " + user + " " + password,
                            ""),
                    StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("tinyproxy", "-d", "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .start();
            Tinyproxy proxy = new Tinyproxy(dir, log, port, p);
            proxy.awaitListening(Duration.ofSeconds(10));
            return proxy;
        } catch (IOException e) {
            TempDirectory.deleteRecursively(dir);
            throw new IllegalStateException("cannot run tinyproxy (is the tinyproxy package installed?)", e);
        }
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tinyproxy exited with " + process.exitValue() + ": " + logText());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(FreePort.loopback(), port), 500);
                return;
            } catch (IOException e) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("tinyproxy did not listen within " + timeout);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * The requests the proxy handled, as {@code METHOD TARGET}: {@code CONNECT 127.0.0.1:5000}
     * for HTTPS, {@code GET http://127.0.0.1:5000/v2/} for plain HTTP.
     */
    public List<String> requests() {
        Matcher m = REQUEST.matcher(logText());
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        TempDirectory.deleteRecursively(dir);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
