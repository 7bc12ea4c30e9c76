package dev.ferry.coordinator.history;

import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rollback of a whole target repository: every tag Ferry wrote there goes back to what it held
 * at a point in time, or just before a run's first write, and is pinned, through
 * {@link Rollbacks}' per-tag restore (a fenced, recorded job each).
 *
 * <p>What a tag held at time T comes from the tag history alone: the digest of the last write
 * at or before T (a replication, rollback, repair or backup), nothing when that was a delete,
 * and, when every write came after T, what the first of them replaced. A tag with no write
 * after T is left as it is; a tag that did not exist then is left too (and listed), since
 * the registry API deletes manifests, not tags.
 */
public final class RepositoryRollback {

    /** Per tag, no more writes than the history map keeps. */
    private static final int WRITES = Integer.MAX_VALUE;

    private final TagHistory history;
    private final Rollbacks rollbacks;

    public RepositoryRollback(TagHistory history, Rollbacks rollbacks) {
        this.history = history;
        this.rollbacks = rollbacks;
    }

    /** Every tag Ferry wrote in {@code registry/repository} back to its state at {@code at}. */
    public Future<Rollbacks.Result> at(String registry, String repository, Instant at) {
        return restore(registry, repository, at.toEpochMilli(), "at " + at);
    }

    /** Every tag Ferry wrote in {@code registry/repository} back to its state before run {@code runId} wrote. */
    public Future<Rollbacks.Result> beforeRun(String registry, String repository, String runId) {
        return history.ofRun(runId).compose(writes -> {
            if (writes.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("run with tag writes", runId));
            }
            long first = writes.stream().mapToLong(TagWrite::time).min().orElseThrow();
            return restore(registry, repository, first - 1, "before run " + runId);
        });
    }

    private Future<Rollbacks.Result> restore(String registry, String repository, long atMillis, String when) {
        String id = Rollbacks.newId("rollback-");
        return history.list(registry, repository, null, WRITES).compose(all -> {
            if (all.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("tag history of", registry + "/" + repository));
            }
            Map<String, List<TagWrite>> byTag = new TreeMap<>();
            all.stream()
                    .sorted(Comparator.comparingLong(TagWrite::time))
                    .forEach(w -> byTag.computeIfAbsent(w.tag(), t -> new ArrayList<>())
                            .add(w));
            List<Rollbacks.Item> items = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            Future<Void> chain = Future.succeededFuture();
            for (Map.Entry<String, List<TagWrite>> e : byTag.entrySet()) {
                String tag = e.getKey();
                String where = registry + "/" + repository + ":" + tag;
                List<TagWrite> writes = e.getValue();
                if (writes.get(writes.size() - 1).time() <= atMillis) {
                    skipped.add(where + ": unchanged since then");
                    continue;
                }
                String then = stateAt(writes, atMillis);
                if (then == null) {
                    skipped.add(where + ": did not exist " + when + "; Ferry does not delete tags");
                    continue;
                }
                chain = chain.compose(v -> rollbacks
                        .restore(id, registry, repository, tag, then)
                        .map(item -> {
                            items.add(item);
                            return (Void) null;
                        })
                        .recover(err -> {
                            skipped.add(where + ": " + err.getMessage());
                            return Future.succeededFuture();
                        }));
            }
            return chain.map(v -> new Rollbacks.Result(id, items, skipped));
        });
    }

    /** What a tag held at {@code atMillis}, from its writes oldest first; null when it did not exist. */
    static String stateAt(List<TagWrite> writes, long atMillis) {
        TagWrite last = null;
        for (TagWrite w : writes) {
            if (w.time() > atMillis) {
                break;
            }
            last = w;
        }
        return last != null ? last.newDigest() : writes.get(0).previousDigest();
    }
}
