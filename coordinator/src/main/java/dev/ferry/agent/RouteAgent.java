package dev.ferry.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A node's route agent: one {@link RouteFollower} per route, each on its own thread (a long
 * poll blocks its thread, never an event loop), sharing the path claims so that two routes
 * cannot fight over one file.
 */
public final class RouteAgent {

    private final List<RouteFollower> followers;
    private final List<Thread> threads = new ArrayList<>();

    public RouteAgent(List<String> routes, RouteSource source, RouteFiles renderer, AgentMetrics metrics, Clock clock) {
        this(routes, source, renderer, new AtomicFiles(), metrics, clock);
    }

    RouteAgent(
            List<String> routes,
            RouteSource source,
            RouteFiles renderer,
            AtomicFiles files,
            AgentMetrics metrics,
            Clock clock) {
        PathClaims claims = new PathClaims();
        this.followers = routes.stream()
                .distinct()
                .map(r -> new RouteFollower(r, source, renderer, files, claims, metrics, clock))
                .toList();
    }

    /** Asks for every route once, without waiting, and writes what changed; the snapshots say how it went. */
    public List<RouteStatus.Snapshot> once() throws InterruptedException {
        for (RouteFollower f : followers) {
            f.step(Duration.ZERO);
        }
        return statuses();
    }

    /** Starts following every route with long polls of {@code wait}. */
    public synchronized void start(Duration wait) {
        for (RouteFollower f : followers) {
            Thread t = new Thread(
                    () -> f.run(wait, () -> ThreadLocalRandom.current().nextDouble()),
                    "ferry-route-agent-" + f.route());
            threads.add(t);
            t.start();
        }
    }

    /** Stops the followers; a long poll in flight is abandoned, a write in flight finishes or leaves the old file. */
    public synchronized void stop(Duration atMost) throws InterruptedException {
        threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread t : threads) {
            TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
        }
    }

    /** Blocks until every follower has stopped. */
    public void awaitStopped() throws InterruptedException {
        List<Thread> copy;
        synchronized (this) {
            copy = List.copyOf(threads);
        }
        for (Thread t : copy) {
            t.join();
        }
    }

    public List<RouteStatus.Snapshot> statuses() {
        return followers.stream().map(RouteFollower::status).toList();
    }
}
