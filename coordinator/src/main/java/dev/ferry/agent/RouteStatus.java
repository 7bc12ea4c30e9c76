package dev.ferry.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What the agent knows about one route, for its health endpoint, metrics and {@code --once}
 * output. Updated by the route's follower only; read from any thread.
 */
public final class RouteStatus {

    /**
     * @param synced the files on disk hold an answer of this run (they may be stale: see {@code current})
     * @param current the last poll succeeded and the files hold its answer
     * @param active the route's active mirror in the files written, null before the first answer
     * @param lastError why the last poll failed, null after a success; never holds a secret
     */
    public record Snapshot(
            String route,
            boolean synced,
            boolean current,
            String active,
            List<String> files,
            Instant lastSuccess,
            Instant lastWrite,
            int consecutiveFailures,
            String lastError) {}

    private final String route;
    private boolean synced;
    private boolean current;
    private String active;
    private List<String> files = List.of();
    private Instant lastSuccess;
    private Instant lastWrite;
    private int consecutiveFailures;
    private String lastError;

    RouteStatus(String route) {
        this.route = route;
    }

    synchronized void succeeded(Instant at, String activeMirror, List<Path> written, boolean wrote) {
        synced = true;
        current = true;
        active = activeMirror;
        files = written.stream().map(Path::toString).toList();
        lastSuccess = at;
        if (wrote) {
            lastWrite = at;
        }
        consecutiveFailures = 0;
        lastError = null;
    }

    /** A poll that found the route unchanged: the files are current again. */
    synchronized void unchanged(Instant at) {
        current = synced;
        lastSuccess = at;
        consecutiveFailures = 0;
        lastError = null;
    }

    synchronized int failed(String why) {
        current = false;
        lastError = why;
        return ++consecutiveFailures;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(
                route, synced, current, active, files, lastSuccess, lastWrite, consecutiveFailures, lastError);
    }
}
