package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child process that can be killed ({@code SIGKILL}) and started again with the same command
 * line, its output appended to one log across restarts.
 */
final class Restartable implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    Restartable(String name, List<String> command, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** {@code kill -9}, and waits (bounded) until the process is gone. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** CPU seconds the current process has used (0 when it is not running). */
    synchronized double cpuSeconds() {
        return process == null ? 0 : Cpu.of(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
