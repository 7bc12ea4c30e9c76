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

/**
 * This member's view of the jobs it owns that are ready to lease, so a lease request never
 * scans the jobs map. Per tier, repositories are served round robin; a repository with a
 * job in flight is skipped (one tag writer per repository). Fed by the map's local entry
 * events and rebuilt after partition migrations. Synchronised: events arrive on Hazelcast
 * threads, lease requests on event loops.
 */
public final class ReadyIndex {

  private record Ready(JobKey key, long notBefore) {}

  /** tier -> repository key -> ready jobs in arrival order; LinkedHashMap keeps round-robin order. */
  private final Map<String, LinkedHashMap<String, Deque<Ready>>> byTier = new HashMap<>();
  private final Map<JobKey, String> indexed = new HashMap<>();
  /** repository key -> leased jobs (their expiry), for one-writer-per-repository and expiry sweeps. */
  private final Map<String, Map<JobKey, Long>> inFlight = new HashMap<>();
  private final List<Runnable> listeners = new ArrayList<>();

  public synchronized void onJob(Job job) {
    remove(job.key());
    if (job.state() == JobState.QUEUED) {
      byTier.computeIfAbsent(job.tier(), t -> new LinkedHashMap<>())
          .computeIfAbsent(job.key().repositoryKey(), r -> new ArrayDeque<>())
          .addLast(new Ready(job.key(), job.notBefore()));
      indexed.put(job.key(), job.tier());
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
    String tier = indexed.remove(key);
    if (tier != null) {
      Map<String, Deque<Ready>> repos = byTier.get(tier);
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

  /** Whether the tier has a job leasable at {@code now}. */
  public synchronized boolean hasReady(String tier, long now) {
    Map<String, Deque<Ready>> repos = byTier.get(tier);
    if (repos == null) {
      return false;
    }
    for (Map.Entry<String, Deque<Ready>> e : repos.entrySet()) {
      if (!inFlight.containsKey(e.getKey()) && e.getValue().stream().anyMatch(r -> r.notBefore() <= now)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes the next candidate of a tier: the first ready job of the next repository in round
   * robin order that has none in flight. The repository moves to the back. The caller then
   * tries to lease it; the map's events keep the index true whatever the outcome.
   */
  public synchronized JobKey take(String tier, long now) {
    LinkedHashMap<String, Deque<Ready>> repos = byTier.get(tier);
    if (repos == null) {
      return null;
    }
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
