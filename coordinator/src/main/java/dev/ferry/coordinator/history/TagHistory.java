package dev.ferry.coordinator.history;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.hz.HzFutures;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.plan.KnownTag;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tag write Ferry made, per target tag, newest last: what the three-way conflict rule
 * reads as "what Ferry last wrote here" (L), and what {@code GET /v1/history} serves.
 *
 * <p>Two copies keep it: a Hazelcast map with a synchronous backup, so a member kill loses
 * nothing, and a JSON-lines file in each member's data directory, appended to by the member
 * that recorded the write, so it survives a restart of {@code standalone} or of the whole
 * cluster. {@link #load} reads the file back into the map at start.
 */
public final class TagHistory {

    public static final String MAP_NAME = "ferry-tag-history";
    /** Writes kept per tag in the map; the file keeps them all. */
    static final int KEEP_PER_TAG = 200;

    static final String FILE_NAME = "tag-history.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(TagHistory.class);

    private final IMap<String, TagWrites> map;
    private final Vertx vertx;
    private final JsonLines<TagWrite> log;
    private final FerryMetrics metrics;
    private final AuditTrail audit;

    /**
     * @param dataDir where the history file lives; null keeps the history in the cluster only
     * @param audit where every write is recorded as {@code tag.KIND}
     */
    public TagHistory(HazelcastInstance hazelcast, Vertx vertx, Path dataDir, AuditTrail audit, FerryMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
        this.map = hazelcast.getMap(MAP_NAME);
        this.vertx = vertx;
        this.log = new JsonLines<>(dataDir == null ? null : dataDir.resolve(FILE_NAME), TagWrite.class);
    }

    public static String key(String registry, String repository, String tag) {
        return registry + "|" + repository + "|" + tag;
    }

    /** A tag's writes, oldest first. */
    public record TagWrites(List<TagWrite> writes) implements Serializable {
        public TagWrites {
            writes = List.copyOf(writes);
        }
    }

    /** Adds one write (or, when loading, any of several not yet there), oldest first, bounded. */
    record Append(List<TagWrite> add) implements EntryProcessor<String, TagWrites, Void> {
        @Override
        public Void process(Map.Entry<String, TagWrites> entry) {
            List<TagWrite> all = new ArrayList<>(
                    entry.getValue() == null ? List.of() : entry.getValue().writes());
            for (TagWrite w : add) {
                if (!all.contains(w)) {
                    all.add(w);
                }
            }
            all.sort(Comparator.comparingLong(TagWrite::time));
            entry.setValue(new TagWrites(all.subList(Math.max(0, all.size() - KEEP_PER_TAG), all.size())));
            return null;
        }
    }

    /**
     * Reads this member's history file into the map, then opens it for appending. Blocking:
     * call off the event loop, before the member serves leases.
     */
    public void load() throws IOException {
        Map<String, List<TagWrite>> byTag = new HashMap<>();
        for (TagWrite w : log.open(vertx)) {
            byTag.computeIfAbsent(w.tagKey(), k -> new ArrayList<>()).add(w);
        }
        byTag.forEach((k, writes) -> map.executeOnKey(k, new Append(writes)));
        if (!byTag.isEmpty()) {
            LOG.info("tag history: {} tags read from {}", byTag.size(), log.file());
        }
    }

    /**
     * Records a write: in the map (backed up before this completes), then in this member's file,
     * then in the audit trail as {@code tag.KIND} by the write's actor (the worker, for a copy).
     */
    public Future<Void> record(TagWrite w) {
        return recordAll(List.of(w));
    }

    /**
     * Records several writes (the tag writes of jobs completed together) as {@link #record}
     * does each, with one append to this member's file for all of them (one disk sync instead
     * of one per write). The audit records of one job's writes keep their order (a backup tag
     * before the write); different jobs' go to the trail side by side.
     */
    public Future<Void> recordAll(List<TagWrite> writes) {
        if (writes.isEmpty()) {
            return Future.succeededFuture();
        }
        var context = vertx.getOrCreateContext();
        List<Future<Void>> stored = writes.stream()
                .map(w -> HzFutures.on(context, map.submitToKey(w.tagKey(), new Append(List.of(w)))))
                .toList();
        return Future.all(stored).compose(v -> log.appendAll(writes)).compose(v -> auditAll(writes));
    }

    /** Each job's writes in order, the jobs side by side. */
    private Future<Void> auditAll(List<TagWrite> writes) {
        Map<String, List<TagWrite>> byJob = new LinkedHashMap<>();
        writes.forEach(w -> byJob.computeIfAbsent(String.valueOf(w.job()), j -> new ArrayList<>())
                .add(w));
        List<Future<Void>> audited = new ArrayList<>();
        for (List<TagWrite> ofJob : byJob.values()) {
            Future<Void> chain = Future.succeededFuture();
            for (TagWrite w : ofJob) {
                chain = chain.compose(v -> audit.record(
                                w.actor() == null ? "ferry" : w.actor(),
                                "tag." + w.kind(),
                                w.registry() + "/" + w.repository() + ":" + w.tag(),
                                auditDetails(w)))
                        .onSuccess(v -> metrics.tagWrite(w.kind(), w.registry()));
            }
            audited.add(chain);
        }
        return Future.all(audited).mapEmpty();
    }

    private static Map<String, Object> auditDetails(TagWrite w) {
        Map<String, Object> d = new TreeMap<>();
        d.put("previousDigest", w.previousDigest());
        d.put("newDigest", w.newDigest());
        d.put("job", w.job());
        d.put("run", w.run());
        d.put("policy", w.policy());
        d.values().removeIf(Objects::isNull);
        return d;
    }

    /** What Ferry last wrote under the tag (a replication or a rollback, not a backup), or null. */
    public Future<String> lastWritten(String registry, String repository, String tag) {
        return HzFutures.on(vertx.getOrCreateContext(), map.getAsync(key(registry, repository, tag)))
                .map(h -> {
                    if (h == null) {
                        return null;
                    }
                    for (int i = h.writes().size() - 1; i >= 0; i--) {
                        if (h.writes().get(i).ownsTag()) {
                            return h.writes().get(i).newDigest();
                        }
                    }
                    return null;
                });
    }

    /**
     * For each of {@code keys} with a history: the last write that left Ferry's content there
     * (digest and time), or the delete that came after it (digest null). One call for all the
     * keys, answered on the members that own them.
     */
    public Future<Map<String, KnownTag>> lastOwned(Set<String> keys) {
        return HzFutures.on(vertx.getOrCreateContext(), map.submitToKeys(keys, new LastOwned()))
                .map(found -> {
                    Map<String, KnownTag> known = new HashMap<>();
                    found.forEach((k, v) -> {
                        if (v != null) {
                            known.put(k, v);
                        }
                    });
                    return known;
                });
    }

    /** A tag's last owned write or later delete, read where the entry lives. */
    record LastOwned() implements EntryProcessor<String, TagWrites, KnownTag>, ReadOnly {
        @Override
        public KnownTag process(Map.Entry<String, TagWrites> entry) {
            TagWrites h = entry.getValue();
            if (h == null) {
                return null;
            }
            for (int i = h.writes().size() - 1; i >= 0; i--) {
                TagWrite w = h.writes().get(i);
                if (TagWrite.DELETE.equals(w.kind())) {
                    return new KnownTag(null, w.time());
                }
                if (w.ownsTag()) {
                    return new KnownTag(w.newDigest(), w.time());
                }
            }
            return null;
        }
    }

    /**
     * Writes to one tag, or to every tag of a repository when {@code tag} is null, newest
     * first, at most {@code limit}.
     */
    public Future<List<TagWrite>> list(String registry, String repository, String tag, int limit) {
        if (tag != null) {
            return HzFutures.on(vertx.getOrCreateContext(), map.getAsync(key(registry, repository, tag)))
                    .map(h -> newestFirst(h == null ? List.of() : h.writes(), limit));
        }
        String prefix = key(registry, repository, "");
        return vertx.executeBlocking(
                () -> {
                    List<TagWrite> all = new ArrayList<>();
                    map.values(new KeyPrefix(prefix)).forEach(h -> all.addAll(h.writes()));
                    return newestFirst(all, limit);
                },
                false);
    }

    private static List<TagWrite> newestFirst(List<TagWrite> writes, int limit) {
        return writes.stream()
                .sorted(Comparator.comparingLong(TagWrite::time).reversed())
                .limit(limit)
                .toList();
    }

    /** The writes (not backups) a run made, on every target. A scan of the whole history, off the event loop. */
    public Future<List<TagWrite>> ofRun(String runId) {
        return vertx.executeBlocking(
                () -> {
                    List<TagWrite> all = new ArrayList<>();
                    map.values(new WroteInRun(runId))
                            .forEach(h -> h.writes().stream()
                                    .filter(w -> runId.equals(w.run()) && TagWrite.WRITE.equals(w.kind()))
                                    .forEach(all::add));
                    return all;
                },
                false);
    }

    /**
     * For each tag whose latest write that left Ferry's content there (a replication, a
     * rollback, a repair) belongs to {@code policy}: that write. A scan of the whole history,
     * off the event loop.
     */
    public Future<List<TagWrite>> ownedBy(String policy) {
        return vertx.executeBlocking(
                () -> {
                    List<TagWrite> owned = new ArrayList<>();
                    for (TagWrites h : map.values(new WrittenBy(policy))) {
                        for (int i = h.writes().size() - 1; i >= 0; i--) {
                            TagWrite w = h.writes().get(i);
                            if (TagWrite.DELETE.equals(w.kind())) {
                                break; // deleted since: nobody's now
                            }
                            if (w.ownsTag()) {
                                if (policy.equals(w.policy())) {
                                    owned.add(w);
                                }
                                break;
                            }
                        }
                    }
                    return owned;
                },
                false);
    }

    /** Tags a policy ever wrote; evaluated on the members that own them. */
    record WrittenBy(String policy) implements Predicate<String, TagWrites> {
        @Override
        public boolean apply(Map.Entry<String, TagWrites> entry) {
            return entry.getValue().writes().stream().anyMatch(w -> policy.equals(w.policy()));
        }
    }

    /** Tags a run wrote; evaluated on the members that own them. */
    record WroteInRun(String runId) implements Predicate<String, TagWrites> {
        @Override
        public boolean apply(Map.Entry<String, TagWrites> entry) {
            return entry.getValue().writes().stream().anyMatch(w -> runId.equals(w.run()));
        }
    }

    /** Tags whose key starts with a repository's prefix; evaluated on the members that own them. */
    record KeyPrefix(String prefix) implements Predicate<String, TagWrites> {
        @Override
        public boolean apply(Map.Entry<String, TagWrites> entry) {
            return entry.getKey().startsWith(prefix);
        }
    }

    public Future<Void> close() {
        return log.close();
    }
}
