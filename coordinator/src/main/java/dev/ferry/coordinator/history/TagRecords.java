package dev.ferry.coordinator.history;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.hz.HzFutures;
import dev.ferry.coordinator.plan.KnownTag;
import dev.ferry.coordinator.plan.KnownTags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Ferry's records of target tags for the planner: the newer of the tag history's last owned
 * write (or the delete after it) and the last digest a plan or a drift check saw there with a
 * HEAD. The sightings live in their own map, with a backup and no file: after a restart of the
 * whole cluster only the history's writes are left, and the first plan asks for the rest.
 */
public final class TagRecords implements KnownTags {

    public static final String MAP_NAME = "ferry-tag-seen";

    private final IMap<String, KnownTag> seen;
    private final TagHistory history;
    private final Vertx vertx;

    public TagRecords(HazelcastInstance hazelcast, Vertx vertx, TagHistory history) {
        this.seen = hazelcast.getMap(MAP_NAME);
        this.history = history;
        this.vertx = vertx;
    }

    @Override
    public Future<Map<String, KnownTag>> of(String registry, String repository, Set<String> tags) {
        Map<String, String> byKey = new HashMap<>();
        tags.forEach(tag -> byKey.put(TagHistory.key(registry, repository, tag), tag));
        Future<Map<String, KnownTag>> written = history.lastOwned(byKey.keySet());
        Future<Map<String, KnownTag>> sighted =
                HzFutures.on(vertx.getOrCreateContext(), seen.submitToKeys(byKey.keySet(), new Read()));
        return Future.all(written, sighted).map(v -> {
            Map<String, KnownTag> known = new HashMap<>();
            byKey.forEach((key, tag) -> {
                KnownTag newest = KnownTag.newer(
                        written.result().get(key), sighted.result().get(key));
                if (newest != null) {
                    known.put(tag, newest);
                }
            });
            return known;
        });
    }

    @Override
    public Future<Void> saw(String registry, String repository, Map<String, String> digests, long at) {
        Map<String, KnownTag> entries = new LinkedHashMap<>();
        digests.forEach(
                (tag, digest) -> entries.put(TagHistory.key(registry, repository, tag), new KnownTag(digest, at)));
        return HzFutures.on(vertx.getOrCreateContext(), seen.setAllAsync(entries));
    }

    /**
     * A drift check saw the tag hold {@code digest} (null: gone). Recording what differs from
     * Ferry's write makes the next plan ask the registry instead of trusting that write.
     */
    public Future<Void> sawOne(String registry, String repository, String tag, String digest, long at) {
        return HzFutures.on(
                        vertx.getOrCreateContext(),
                        seen.setAsync(TagHistory.key(registry, repository, tag), new KnownTag(digest, at)))
                .mapEmpty();
    }

    /** A sighting, read where it lives. */
    record Read() implements EntryProcessor<String, KnownTag, KnownTag>, ReadOnly {
        @Override
        public KnownTag process(Map.Entry<String, KnownTag> entry) {
            return entry.getValue();
        }
    }
}
