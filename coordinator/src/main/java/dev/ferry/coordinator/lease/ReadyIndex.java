package dev.ferry.coordinator.lease;

import dev.ferry.coordinator.job.Job;
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
import java.util.function.Function;

/**
 * This member's view of the jobs it owns that are ready to lease, so a lease request never
 * scans the jobs map. Per tier, repositories are served round robin; a repository with a
 * job in flight is skipped (one tag writer per repository), and a worker's own region is
 * served first. Fed by the job entry processors through {@code JobIndexer} and rebuilt after
 * partition migrations. Synchronised: changes arrive on partition threads, lease requests on
 * event loops.
 */
public final class ReadyIndex {

  private record Ready(JobKey key, long notBefore) {}

  /** Where an indexed job sits: its tier and its target registry's region ("" when none). */
  private record Place(String tier, String region) {}

  /**
   * tier -> target region -> repository key -> ready jobs in arrival order; LinkedHashMap
   * keeps round-robin order.
   */
  private final Map<String, Map<String, LinkedHashMap<String, Deque<Ready>>>> byTier = new HashMap<>();
  private final Map<JobKey, Place> indexed = new HashMap<>();
  private final Function<String, String> regionOfRegistry;
  /** repository key -> leased jobs (their expiry), for one-writer-per-repository and expiry sweeps. */
  private final Map<String, Map<JobKey, Long>> inFlight = new HashMap<>();
  private final List<Runnable> listeners = new ArrayList<>();

  /** An index that knows no regions: every request is served in plain tier and round-robin order. */
  public ReadyIndex() {
    this(registry -> null);
  }

  /**
   * @param regionOfRegistry the region of a target registry, or null; a lease request from a
   *     worker in a region is served that region's jobs first
   */
  public ReadyIndex(Function<String, String> regionOfRegistry) {
    this.regionOfRegistry = regionOfRegistry;
  }

  private String regionOf(JobKey key) {
    String repository = key.repositoryKey();
    String region = regionOfRegistry.apply(repository.substring(0, repository.indexOf('|')));
    return region == null ? "" : region;
  }

  public synchronized void onJob(Job job) {
    remove(job.key());
    if (job.waiting()) {
      Place place = new Place(job.tier(), regionOf(job.key()));
      byTier.computeIfAbsent(place.tier(), t -> new HashMap<>())
          .computeIfAbsent(place.region(), r -> new LinkedHashMap<>())
          .computeIfAbsent(job.key().repositoryKey(), r -> new ArrayDeque<>())
          .addLast(new Ready(job.key(), job.notBefore()));
      indexed.put(job.key(), place);
      notifyListeners();
    } else if (job.state() == JobState.LEASED) {
      inFlight.computeIfAbsent(job.key().repositoryKey(), r -> new HashMap<>()).put(job.key(), job.leaseExpiresAt());
    }
  }

  public synchronized void onRemoved(JobKey key) {
    remove(key);
  }

  public synchronized void clear() {
    byTier.clear();
    indexed.clear();
    inFlight.clear();
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
    Map<JobKey, Long> flying = inFlight.get(key.repositoryKey());
    if (flying != null) {
      flying.remove(key);
      if (flying.isEmpty()) {
        inFlight.remove(key.repositoryKey());
      }
    }
  }

  /** Whether the tier has a job leasable at {@code now}, in any region. */
  public synchronized boolean hasReady(String tier, long now) {
    Map<String, LinkedHashMap<String, Deque<Ready>>> regions = byTier.get(tier);
    if (regions == null) {
      return false;
    }
    for (LinkedHashMap<String, Deque<Ready>> repos : regions.values()) {
      for (Map.Entry<String, Deque<Ready>> e : repos.entrySet()) {
        if (!inFlight.containsKey(e.getKey()) && e.getValue().stream().anyMatch(r -> r.notBefore() <= now)) {
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
   * Takes the next candidate of a tier: the first ready job of the next repository in round
   * robin order that has none in flight. Jobs whose target registry is in the worker's
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
      if (inFlight.containsKey(e.getKey())) {
        continue;
      }
      for (Ready r : e.getValue()) {
        if (r.notBefore() <= now) {
          Deque<Ready> q = e.getValue();
          it.remove();
          repos.put(e.getKey(), q); // to the back: round robin between repositories
          q.remove(r);
          if (q.isEmpty()) {
            repos.remove(e.getKey());
          }
          indexed.remove(r.key());
          // Count it in flight now, so a second request does not pick the same repository.
          inFlight.computeIfAbsent(r.key().repositoryKey(), k -> new HashMap<>()).put(r.key(), Long.MAX_VALUE);
          return r.key();
        }
      }
    }
    return null;
  }

  /** Undoes {@link #take} when the lease attempt failed; the map's event re-adds it if still queued. */
  public synchronized void release(JobKey key) {
    Map<JobKey, Long> flying = inFlight.get(key.repositoryKey());
    if (flying != null && Long.valueOf(Long.MAX_VALUE).equals(flying.get(key))) {
      flying.remove(key);
      if (flying.isEmpty()) {
        inFlight.remove(key.repositoryKey());
      }
    }
  }

  /** Leased jobs whose lease has run out at {@code now}. */
  public synchronized List<JobKey> expired(long now) {
    List<JobKey> out = new ArrayList<>();
    inFlight.values().forEach(m -> m.forEach((k, expiry) -> {
      if (expiry < now) {
        out.add(k);
      }
    }));
    return out;
  }

  /** Jobs leased (or being leased) from this member's partitions. */
  public synchronized int inFlightCount() {
    return inFlight.values().stream().mapToInt(Map::size).sum();
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
