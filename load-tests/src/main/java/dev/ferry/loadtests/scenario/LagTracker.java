package dev.ferry.loadtests.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replication lag: from the end of a push at the source to the first time a checker sees the
 * tag holding that digest at a target. A tag pushed again or deleted before a target showed it
 * is superseded (not a sample, not a loss). Thread-safe.
 */
final class LagTracker {

    private record Pending(String digest, long pushedAtNanos) {}

    private final List<String> targets;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final List<Double> seconds = new ArrayList<>();
    private final AtomicInteger superseded = new AtomicInteger();

    LagTracker(List<String> targets) {
        this.targets = List.copyOf(targets);
    }

    void pushed(String repository, String tag, String digest, long atNanos) {
        for (String target : targets) {
            if (pending.put(key(target, repository, tag), new Pending(digest, atNanos)) != null) {
                superseded.incrementAndGet();
            }
        }
    }

    void deleted(String repository, String tag) {
        for (String target : targets) {
            if (pending.remove(key(target, repository, tag)) != null) {
                superseded.incrementAndGet();
            }
        }
    }

    /** A checker saw {@code repository:tag} at {@code target} holding {@code digest} at {@code atNanos}. */
    void observed(String target, String repository, String tag, String digest, long atNanos) {
        String key = key(target, repository, tag);
        Pending p = pending.get(key);
        if (p != null && p.digest().equals(digest) && pending.remove(key, p)) {
            synchronized (seconds) {
                seconds.add(Math.max(0, atNanos - p.pushedAtNanos()) / 1e9);
            }
        }
    }

    /** The lag samples, sorted. */
    double[] sorted() {
        synchronized (seconds) {
            return seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
    }

    int superseded() {
        return superseded.get();
    }

    /** Pushes no target has shown yet. */
    int pending() {
        return pending.size();
    }

    /** The {@code q} quantile (0..1) of sorted samples, nearest rank; NaN when there are none. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static String key(String target, String repository, String tag) {
        return target + '|' + repository + ':' + tag;
    }
}
