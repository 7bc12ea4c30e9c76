package dev.ferry.coordinator.preview;

import dev.ferry.coordinator.history.PinStore;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TagWrite;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** A coordinator's records for a plan preview: its cluster-wide tag history, pins and pull counts. Reads only. */
public final class HistoryRecords implements WriteRecords {

    private final TagHistory history;
    private final PinStore pins;
    private final Function<Set<String>, Future<Map<String, Long>>> lastPulls;

    public HistoryRecords(
            TagHistory history, PinStore pins, Function<Set<String>, Future<Map<String, Long>>> lastPulls) {
        this.history = history;
        this.pins = pins;
        this.lastPulls = lastPulls;
    }

    @Override
    public Future<List<TagWrite>> ownedBy(String policy) {
        return history.ownedBy(policy);
    }

    @Override
    public Future<String> lastWritten(String registry, String repository, String tag) {
        return history.lastWritten(registry, repository, tag);
    }

    @Override
    public Future<Set<String>> pinned() {
        return pins.pinnedKeys();
    }

    @Override
    public Future<Map<String, Long>> lastPulls(Set<String> registries) {
        return lastPulls.apply(registries);
    }

    @Override
    public boolean known() {
        return true;
    }
}
