package dev.ferry.cli;

import dev.ferry.worker.copy.CopyProgress;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Redraws one status line on a terminal while a copy runs: phase, blobs, bytes and rate.
 * Off a terminal it prints nothing, so logs and pipes stay clean.
 */
final class ProgressPrinter implements AutoCloseable {

    private final CopyProgress progress;
    private final PrintWriter out;
    private final ScheduledExecutorService timer;
    private final long started = System.nanoTime();

    ProgressPrinter(CopyProgress progress, PrintWriter out, boolean terminal) {
        this.progress = progress;
        this.out = out;
        if (terminal) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ferry-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::draw, 200, 500, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    private void draw() {
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        String line = String.format(
                "\r%-24s blobs %d/%d  %s / %s  %s/s   ",
                progress.phase(),
                progress.blobsDone(),
                progress.blobsPlanned(),
                ByteSizes.format(progress.bytesDone()),
                ByteSizes.format(progress.bytesPlanned()),
                ByteSizes.format(progress.bytesDone() / seconds));
        out.print(line);
        out.flush();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }
}
