package dev.ferry.coordinator.pull;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.hz.HzFutures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Manifest pulls per registry, repository and tag, as decaying counts ({@link PullScore}) in a
 * Hazelcast map, so any member can count and any can rank. Memory is bounded: the map holds at
 * most {@link #MAX_ENTRIES_PER_MEMBER} tags per member (least-pulled evicted first), and a tag
 * nobody pulled for {@link #IDLE_DAYS} days goes.
 */
public final class PullCounts {

    public static final String MAP_NAME = "ferry.pulls";
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofHours(6);
    static final int MAX_ENTRIES_PER_MEMBER = 100_000;
    static final int IDLE_DAYS = 30;

    /**
     * One tag's pulls now.
     *
     * @param lastPull when it was last pulled, epoch millis
     */
    public record Count(String registry, String repository, String tag, PullScore score, long lastPull) {}

    private final Vertx vertx;
    private final IMap<String, PullScore> map;
    private final Clock clock;
    private final long halfLifeMillis;

    public PullCounts(Vertx vertx, HazelcastInstance hazelcast, Clock clock, Duration halfLife) {
        this.vertx = vertx;
        this.map = hazelcast.getMap(MAP_NAME);
        this.clock = clock;
        this.halfLifeMillis = halfLife.toMillis();
    }

    /** The map's configuration: bounded, and kept on one backup. */
    public static MapConfig mapConfig() {
        return new MapConfig(MAP_NAME)
                .setBackupCount(1)
                .setMaxIdleSeconds(IDLE_DAYS * 24 * 3600)
                .setEvictionConfig(new EvictionConfig()
                        .setEvictionPolicy(EvictionPolicy.LFU)
                        .setMaxSizePolicy(MaxSizePolicy.PER_NODE)
                        .setSize(MAX_ENTRIES_PER_MEMBER));
    }

    public Future<Void> pulled(String registry, String repository, String tag) {
        return HzFutures.on(
                        vertx.getOrCreateContext(),
                        map.submitToKey(key(registry, repository, tag), new AddPull(clock.millis(), halfLifeMillis)))
                .mapEmpty();
    }

    /** Every counted tag of the given registries, decayed to now. Reads the whole map: off the event loop. */
    public Future<List<Count>> of(Set<String> registries) {
        long now = clock.millis();
        return vertx.executeBlocking(
                () -> {
                    List<Count> out = new ArrayList<>();
                    for (Map.Entry<String, PullScore> e : map.entrySet()) {
                        String[] parts = e.getKey().split("\\|", 3);
                        if (parts.length == 3 && registries.contains(parts[0])) {
                            out.add(new Count(
                                    parts[0],
                                    parts[1],
                                    parts[2],
                                    e.getValue().at(now, halfLifeMillis),
                                    e.getValue().at()));
                        }
                    }
                    return out;
                },
                false);
    }

    /** The last pull of each tag pulled at {@code registries}, by {@link #key}. */
    public Future<Map<String, Long>> lastPulls(Set<String> registries) {
        return of(registries).map(counts -> {
            Map<String, Long> out = new java.util.HashMap<>();
            counts.forEach(c -> out.put(key(c.registry(), c.repository(), c.tag()), c.lastPull()));
            return out;
        });
    }

    /** The same key as the tag history's, so expiry can look a written tag up directly. */
    public static String key(String registry, String repository, String tag) {
        return dev.ferry.coordinator.history.TagHistory.key(registry, repository, tag);
    }

    /** Adds one pull, atomically on the key's partition. */
    static final class AddPull implements EntryProcessor<String, PullScore, Void> {
        private final long now;
        private final long halfLifeMillis;

        AddPull(long now, long halfLifeMillis) {
            this.now = now;
            this.halfLifeMillis = halfLifeMillis;
        }

        @Override
        public Void process(Map.Entry<String, PullScore> entry) {
            PullScore old = entry.getValue() == null ? PullScore.none(now) : entry.getValue();
            entry.setValue(old.plusOne(now, halfLifeMillis));
            return null;
        }
    }
}
