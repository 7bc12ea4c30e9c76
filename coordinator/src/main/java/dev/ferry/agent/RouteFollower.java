package dev.ferry.agent;

import dev.ferry.coordinator.health.RouteView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one route's files on a node: asks the source, renders, and replaces a file only when
 * its content changed. Whatever fails (the API, the answer, a write), the files written before
 * stay as they are, and the route is asked again after a backoff. The etag the next request
 * sends is taken only once every file holds the answer, so a failed write is retried.
 */
public final class RouteFollower {

    /** How one step ended. */
    public enum Outcome {
        CHANGED,
        UNCHANGED,
        FAILED
    }

    private static final Logger LOG = LoggerFactory.getLogger(RouteFollower.class);

    private final String route;
    private final RouteSource source;
    private final RouteFiles renderer;
    private final AtomicFiles files;
    private final PathClaims claims;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final RouteStatus status;
    private String etag;
    private List<Path> written = List.of();

    RouteFollower(
            String route,
            RouteSource source,
            RouteFiles renderer,
            AtomicFiles files,
            PathClaims claims,
            AgentMetrics metrics,
            Clock clock) {
        this.route = route;
        this.source = source;
        this.renderer = renderer;
        this.files = files;
        this.claims = claims;
        this.metrics = metrics;
        this.clock = clock;
        this.status = new RouteStatus(route);
        metrics.register(route, status::snapshot);
    }

    public String route() {
        return route;
    }

    public RouteStatus.Snapshot status() {
        return status.snapshot();
    }

    /** Asks once (holding up to {@code wait} when the files are current) and writes what changed. */
    public Outcome step(Duration wait) throws InterruptedException {
        RouteSource.Answer answer;
        try {
            answer = source.poll(route, etag, wait);
        } catch (RouteFetchException e) {
            return failed(e.getMessage());
        }
        if (answer == null) {
            status.unchanged(clock.instant());
            metrics.poll(route, "unchanged").increment();
            return Outcome.UNCHANGED;
        }
        RouteView view = answer.route();
        List<NodeFile> rendered;
        try {
            rendered = renderer.render(view);
        } catch (IllegalArgumentException e) {
            return failed(e.getMessage());
        }
        for (NodeFile f : rendered) {
            String owner = claims.claim(f.path(), route);
            if (owner != null) {
                return failed("route " + route + " would write " + f.path() + ", which route " + owner
                        + " writes (both " + "routes have the same upstream host; a node can follow only one of them)");
            }
        }
        List<String> changed = new ArrayList<>();
        for (NodeFile f : rendered) {
            try {
                if (files.writeIfChanged(f.path(), f.content())) {
                    changed.add(f.path().toString());
                    metrics.writes(route, f.kind()).increment();
                }
            } catch (IOException e) {
                return failed("route " + route + ": cannot write " + f.path() + ": " + describe(e));
            }
        }
        List<Path> now = rendered.stream().map(NodeFile::path).toList();
        removeLeftOvers(now);
        written = now;
        etag = answer.etag();
        Instant at = clock.instant();
        status.succeeded(at, view.active(), now, !changed.isEmpty());
        metrics.poll(route, "changed").increment();
        if (!changed.isEmpty()) {
            LOG.info(
                    "route {}: active {}; wrote {}",
                    route,
                    view.active() == null ? "none" : view.active(),
                    String.join(", ", changed));
        }
        return Outcome.CHANGED;
    }

    /**
     * Follows the route until the thread is interrupted: long polls of {@code wait}, with the
     * pauses of {@link RetryDelays} between requests.
     */
    public void run(Duration wait, DoubleSupplier random) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long started = System.nanoTime();
                Outcome outcome = step(wait);
                Duration pause = outcome == Outcome.FAILED
                        ? RetryDelays.afterFailure(status.snapshot().consecutiveFailures(), random.getAsDouble())
                        : RetryDelays.afterAnswer(Duration.ofNanos(System.nanoTime() - started));
                if (outcome == Outcome.FAILED) {
                    LOG.warn(
                            "{}; keeping the files written before; next try in {} ms",
                            status.snapshot().lastError(),
                            pause.toMillis());
                }
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome failed(String why) {
        status.failed(why);
        metrics.poll(route, "failed").increment();
        return Outcome.FAILED;
    }

    /** A file this follower wrote for an earlier answer (the upstream host changed) would send pulls astray. */
    private void removeLeftOvers(List<Path> now) {
        Set<Path> keep = now.stream().map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toSet());
        for (Path old : written) {
            if (!keep.contains(old.toAbsolutePath().normalize())) {
                try {
                    Files.deleteIfExists(old);
                    claims.release(old, route);
                    LOG.info("route {}: removed {}, which the route no longer names", route, old);
                } catch (IOException e) {
                    LOG.warn(
                            "route {}: cannot remove {}, which the route no longer names: {}", route, old, describe(e));
                }
            }
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
