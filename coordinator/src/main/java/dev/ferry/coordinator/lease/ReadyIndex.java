package dev.ferry.coordinator.lease;

import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobChanges;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * This member's view of the jobs it owns that are ready to lease, so a lease request never
 * scans the jobs map. Per tier, repositories are served round robin, and a worker's own
 * region is served first. Two rules keep writers apart:
 * <ul>
 *   <li>one writer per target <b>tag</b>: a job whose target tag (registry, repository, tag)
 *       has a job in flight from this member waits, whatever the tiers or kinds of the two
 *       (replication, repair, rollback);</li>
 *   <li>at most {@code capOfRegistry} jobs in flight per target repository, so one
 *       repository with many tags cannot take every worker.</li>
 * </ul>
 * Jobs of one repository in different tiers live on different partitions, which may be owned
 * by different members; this index then only sees its own. The fenced commit point
 * ({@code TagWriters}, claimed with the commit intent) is what keeps two writers of one tag
 * apart across members. Fed by the job entry processors through {@code JobIndexer} and
 * rebuilt after partition migrations. Synchronised: changes arrive on partition threads,
 * lease requests on event loops.
 */
public final class ReadyIndex implements JobChanges {

    /** The per-repository cap when a registry sets no {@code maxConcurrencyPerRepository}. */
    public static final int DEFAULT_PER_REPOSITORY = 4;

    /** @param tag the target tag key (registry|repository|tag), the unit of "one writer" */
    private record Ready(JobKey key, String tag, long notBefore) {}

    /** A job leased (or being leased): its target tag key, and its lease's expiry. */
    private record Flight(String tag, long expiry) {}

    /** Where an indexed job sits: its tier and its target registry's region ("" when none). */
    private record Place(String tier, String region) {}

    /**
     * tier -> target region -> repository key -> ready jobs in arrival order; LinkedHashMap
     * keeps round-robin order.
     */
    private final Map<String, Map<String, LinkedHashMap<String, Deque<Ready>>>> byTier = new HashMap<>();

    private final Map<JobKey, Place> indexed = new HashMap<>();
    private final Function<String, String> regionOfRegistry;
    private final ToIntFunction<String> capOfRegistry;
    /** Leased jobs, for the expiry sweep. */
    private final Map<JobKey, Flight> inFlight = new HashMap<>();
    /** repository key -> jobs in flight, for the per-repository cap. */
    private final Map<String, Integer> perRepository = new HashMap<>();
    /** target tag key -> jobs in flight (more than one only if two members leased it at once). */
    private final Map<String, Integer> perTag = new HashMap<>();

    private final List<Runnable> listeners = new ArrayList<>();

    /** An index that knows no regions: every request is served in plain tier and round-robin order. */
    public ReadyIndex() {
        this(registry -> null);
    }

    /** As below, with {@link #DEFAULT_PER_REPOSITORY} for every registry. */
    public ReadyIndex(Function<String, String> regionOfRegistry) {
        this(regionOfRegistry, registry -> DEFAULT_PER_REPOSITORY);
    }

    /**
     * @param regionOfRegistry the region of a target registry, or null; a lease request from a
     *     worker in a region is served that region's jobs first
     * @param capOfRegistry how many jobs may be in flight per repository of a target registry
     *     (values below 1 count as 1)
     */
    public ReadyIndex(Function<String, String> regionOfRegistry, ToIntFunction<String> capOfRegistry) {
        this.regionOfRegistry = regionOfRegistry;
        this.capOfRegistry = capOfRegistry;
    }

    private static String registryOf(String repositoryKey) {
        return repositoryKey.substring(0, repositoryKey.indexOf('|'));
    }

    /** registry|repository|tag; a job without a tag (by digest) is a writer of its own. */
    private static String tagKey(Job job) {
        return job.key().repositoryKey() + "|" + Objects.requireNonNullElse(job.tag(), "@" + job.id());
    }

    private boolean full(String repositoryKey) {
        Integer n = perRepository.get(repositoryKey);
        return n != null && n >= Math.max(1, capOfRegistry.applyAsInt(registryOf(repositoryKey)));
    }

    private void fly(JobKey key, Flight flight) {
        inFlight.put(key, flight);
        perRepository.merge(key.repositoryKey(), 1, Integer::sum);
        perTag.merge(flight.tag(), 1, Integer::sum);
    }

    private void land(JobKey key) {
        Flight flight = inFlight.remove(key);
        if (flight != null) {
            perRepository.computeIfPresent(key.repositoryKey(), (k, n) -> n > 1 ? n - 1 : null);
            perTag.computeIfPresent(flight.tag(), (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    private String regionOf(JobKey key) {
        String repository = key.repositoryKey();
        String region = regionOfRegistry.apply(registryOf(repository));
        return region == null ? "" : region;
    }

    @Override
    public synchronized void onJob(Job job) {
        remove(job.key());
        if (job.waiting()) {
            Place place = new Place(job.tier(), regionOf(job.key()));
            byTier.computeIfAbsent(place.tier(), t -> new HashMap<>())
                    .computeIfAbsent(place.region(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(job.key().repositoryKey(), r -> new ArrayDeque<>())
                    .addLast(new Ready(job.key(), tagKey(job), job.notBefore()));
            indexed.put(job.key(), place);
            notifyListeners();
        } else if (job.state() == JobState.LEASED) {
            fly(job.key(), new Flight(tagKey(job), job.leaseExpiresAt()));
        }
    }

    public synchronized void onRemoved(JobKey key) {
        remove(key);
    }

    @Override
    public synchronized void clear() {
        byTier.clear();
        indexed.clear();
        inFlight.clear();
        perRepository.clear();
        perTag.clear();
    }

    private void remove(JobKey key) {
        Place place = indexed.remove(key);
        if (place != null) {
            Map<String, Deque<Ready>> repos = byTier.get(place.tier()).get(place.region());
            Deque<Ready> q = repos.get(key.repositoryKey());
            if (q != null) {
                q.removeIf(r -> r.key().equals(key));
                if (q.isEmpty()) {
                    repos.remove(key.repositoryKey());
                }
            }
        }
        land(key);
    }

    /** Whether {@code r} may be leased at {@code now}: its wait is over and its tag has no writer. */
    private boolean leasable(Ready r, long now) {
        return r.notBefore() <= now && !perTag.containsKey(r.tag());
    }

    /** Whether the tier has a job leasable at {@code now}, in any region. */
    public synchronized boolean hasReady(String tier, long now) {
        Map<String, LinkedHashMap<String, Deque<Ready>>> regions = byTier.get(tier);
        if (regions == null) {
            return false;
        }
        for (LinkedHashMap<String, Deque<Ready>> repos : regions.values()) {
            for (Map.Entry<String, Deque<Ready>> e : repos.entrySet()) {
                if (!full(e.getKey()) && e.getValue().stream().anyMatch(r -> leasable(r, now))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** As {@link #take(String, long, String)} for a worker that names no region. */
    public synchronized JobKey take(String tier, long now) {
        return take(tier, now, null);
    }

    /**
     * Takes the next candidate of a tier: the first ready job, whose tag has no writer in
     * flight, of the next repository in round robin order that is below its cap. Jobs whose target registry is in the worker's
     * {@code region} come first; when there are none, any region's. The repository moves to
     * the back. The caller then tries to lease it, and the entry processor's notice keeps the
     * index true whatever the outcome.
     */
    public synchronized JobKey take(String tier, long now, String region) {
        Map<String, LinkedHashMap<String, Deque<Ready>>> regions = byTier.get(tier);
        if (regions == null) {
            return null;
        }
        if (region != null) {
            LinkedHashMap<String, Deque<Ready>> near = regions.get(region);
            JobKey key = near == null ? null : takeFrom(near, now);
            if (key != null) {
                return key;
            }
        }
        for (LinkedHashMap<String, Deque<Ready>> repos : regions.values()) {
            JobKey key = takeFrom(repos, now);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    private JobKey takeFrom(LinkedHashMap<String, Deque<Ready>> repos, long now) {
        Iterator<Map.Entry<String, Deque<Ready>>> it = repos.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Deque<Ready>> e = it.next();
            if (full(e.getKey())) {
                continue;
            }
            for (Ready r : e.getValue()) {
                if (leasable(r, now)) {
                    Deque<Ready> q = e.getValue();
                    it.remove();
                    repos.put(e.getKey(), q); // to the back: round robin between repositories
                    q.remove(r);
                    if (q.isEmpty()) {
                        repos.remove(e.getKey());
                    }
                    indexed.remove(r.key());
                    // Count it in flight now, so a second request neither takes its tag nor passes the cap.
                    fly(r.key(), new Flight(r.tag(), Long.MAX_VALUE));
                    return r.key();
                }
            }
        }
        return null;
    }

    /** Undoes {@link #take} when the lease attempt failed; the map's event re-adds it if still queued. */
    public synchronized void release(JobKey key) {
        Flight flight = inFlight.get(key);
        if (flight != null && flight.expiry() == Long.MAX_VALUE) {
            land(key);
        }
    }

    /** Leased jobs whose lease has run out at {@code now}. */
    public synchronized List<JobKey> expired(long now) {
        List<JobKey> out = new ArrayList<>();
        inFlight.forEach((k, flight) -> {
            if (flight.expiry() < now) {
                out.add(k);
            }
        });
        return out;
    }

    /** Jobs leased (or being leased) from this member's partitions. */
    public synchronized int inFlightCount() {
        return inFlight.size();
    }

    public synchronized int readyCount() {
        return indexed.size();
    }

    /** Called (outside the lock's guarantees) whenever a job becomes ready. */
    public synchronized void onReady(Runnable listener) {
        listeners.add(listener);
    }

    private void notifyListeners() {
        for (Runnable r : listeners) {
            r.run();
        }
    }
}
