package dev.ferry.coordinator.preview;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TagWrite;
import io.vertx.core.Future;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data directory's tag history file ({@code tag-history.jsonl}), read once and never
 * written: what {@code ferry plan --data-dir} knows of Ferry's past writes. A line that does
 * not parse (cut short by a crash) is skipped, as the coordinator does. Pins and pulls live in
 * the cluster and are not known here.
 */
public final class HistoryFile implements WriteRecords {

    public static final String FILE_NAME = "tag-history.jsonl";
    /** Lines read at most, so a huge or hostile file cannot exhaust memory. */
    static final int MAX_LINES = 5_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every write, oldest first, per tag key. */
    private final Map<String, List<TagWrite>> byTag;

    private HistoryFile(Map<String, List<TagWrite>> byTag) {
        this.byTag = byTag;
    }

    /** Reads {@code dataDir}'s history; an absent file is an empty history. Blocking. */
    public static HistoryFile read(Path dataDir) throws IOException {
        Map<String, List<TagWrite>> byTag = new LinkedHashMap<>();
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                for (int n = 0; n < MAX_LINES && (line = in.readLine()) != null; n++) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        TagWrite w = JSON.readValue(line, TagWrite.class);
                        byTag.computeIfAbsent(w.tagKey(), k -> new ArrayList<>())
                                .add(w);
                    } catch (IOException e) {
                        // a torn or foreign line: the coordinator skips it too
                    }
                }
            }
        }
        return new HistoryFile(byTag);
    }

    @Override
    public Future<List<TagWrite>> ownedBy(String policy) {
        List<TagWrite> owned = new ArrayList<>();
        for (List<TagWrite> writes : byTag.values()) {
            for (int i = writes.size() - 1; i >= 0; i--) {
                TagWrite w = writes.get(i);
                if (TagWrite.DELETE.equals(w.kind())) {
                    break;
                }
                if (w.ownsTag()) {
                    if (policy.equals(w.policy())) {
                        owned.add(w);
                    }
                    break;
                }
            }
        }
        return Future.succeededFuture(owned);
    }

    @Override
    public Future<String> lastWritten(String registry, String repository, String tag) {
        List<TagWrite> writes = byTag.getOrDefault(TagHistory.key(registry, repository, tag), List.of());
        for (int i = writes.size() - 1; i >= 0; i--) {
            if (writes.get(i).ownsTag()) {
                return Future.succeededFuture(writes.get(i).newDigest());
            }
        }
        return Future.succeededFuture(null);
    }

    @Override
    public Future<Set<String>> pinned() {
        return Future.succeededFuture(Set.of());
    }

    @Override
    public Future<Map<String, Long>> lastPulls(Set<String> registries) {
        return Future.succeededFuture(Map.of());
    }

    @Override
    public boolean known() {
        return !byTag.isEmpty();
    }
}
