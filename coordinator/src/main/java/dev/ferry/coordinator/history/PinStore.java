package dev.ferry.coordinator.history;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.hz.HzFutures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pinned target tags, in a map with a synchronous backup and in {@code pins.jsonl} in each
 * member's data directory. Each change is a {@link Pin} applied only when it is newer than
 * what the map holds, so replaying any member's file, in any order, gives the same pins.
 */
public final class PinStore {

    public static final String MAP_NAME = "ferry-pins";
    static final String FILE_NAME = "pins.jsonl";

    private final IMap<String, Pin> map;
    private final Vertx vertx;
    private final JsonLines<Pin> log;

    /** @param dataDir where the pins file lives; null keeps pins in the cluster only */
    public PinStore(HazelcastInstance hazelcast, Vertx vertx, Path dataDir) {
        this.map = hazelcast.getMap(MAP_NAME);
        this.vertx = vertx;
        this.log = new JsonLines<>(dataDir == null ? null : dataDir.resolve(FILE_NAME), Pin.class);
    }

    /** Sets a tag's pin (or unpin) when it is newer than the one held. */
    record SetIfNewer(Pin pin) implements EntryProcessor<String, Pin, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, Pin> entry) {
            Pin held = entry.getValue();
            if (held != null && held.time() > pin.time()) {
                return false;
            }
            entry.setValue(pin);
            return true;
        }
    }

    /** Reads this member's file into the map, then opens it for appending. Blocking. */
    public void load() throws IOException {
        for (Pin p : log.open(vertx)) {
            map.executeOnKey(p.tagKey(), new SetIfNewer(p));
        }
    }

    public Future<Void> set(Pin pin) {
        return HzFutures.on(vertx.getOrCreateContext(), map.submitToKey(pin.tagKey(), new SetIfNewer(pin)))
                .compose(v -> log.append(pin));
    }

    /** The active pins, by registry, repository and tag. */
    public Future<List<Pin>> active() {
        return vertx.executeBlocking(
                () -> map.values().stream()
                        .filter(Pin::active)
                        .sorted(Comparator.comparing(Pin::registry)
                                .thenComparing(Pin::repository)
                                .thenComparing(Pin::tag))
                        .toList(),
                false);
    }

    /** The keys ({@link TagHistory#key}) of the pinned tags. */
    public Future<Set<String>> pinnedKeys() {
        return active().map(pins -> pins.stream().map(Pin::tagKey).collect(Collectors.toSet()));
    }

    public Future<Pin> get(String registry, String repository, String tag) {
        return HzFutures.on(vertx.getOrCreateContext(), map.getAsync(TagHistory.key(registry, repository, tag)))
                .map(p -> p != null && p.active() ? p : null);
    }

    public Future<Void> close() {
        return log.close();
    }
}
