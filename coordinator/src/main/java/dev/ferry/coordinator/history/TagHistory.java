package dev.ferry.coordinator.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IMap<String, TagWrites> map;
  private final Vertx vertx;
  private final Path file;
  private AsyncFile log;

  /** @param dataDir where the history file lives; null keeps the history in the cluster only */
  public TagHistory(HazelcastInstance hazelcast, Vertx vertx, Path dataDir) {
    this.map = hazelcast.getMap(MAP_NAME);
    this.vertx = vertx;
    this.file = dataDir == null ? null : dataDir.resolve(FILE_NAME);
  }

  public static String key(String registry, String repository, String tag) {
    return registry + "|" + repository + "|" + tag;
  }

  /** A tag's writes, oldest first. */
  public record TagWrites(List<TagWrite> writes) implements java.io.Serializable {
    public TagWrites {
      writes = List.copyOf(writes);
    }
  }

  /** Adds one write (or, when loading, any of several not yet there), oldest first, bounded. */
  record Append(List<TagWrite> add) implements EntryProcessor<String, TagWrites, Void> {
    @Override
    public Void process(Map.Entry<String, TagWrites> entry) {
      List<TagWrite> all = new ArrayList<>(entry.getValue() == null ? List.of() : entry.getValue().writes());
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
    if (file == null) {
      return;
    }
    if (Files.exists(file)) {
      Map<String, List<TagWrite>> byTag = new java.util.HashMap<>();
      int lineNo = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          TagWrite w = JSON.readValue(line, TagWrite.class);
          byTag.computeIfAbsent(w.tagKey(), k -> new ArrayList<>()).add(w);
        } catch (IOException e) {
          // A line cut short by a crash mid-append: the rest of the file still counts.
          LOG.warn("{}:{}: skipping an unreadable history line: {}", file, lineNo, e.getMessage());
        }
      }
      byTag.forEach((k, writes) -> map.executeOnKey(k, new Append(writes)));
      LOG.info("tag history: {} tags read from {}", byTag.size(), file);
    }
    if (Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file)) {
      // Finish the cut-short line, so the next write starts a line of its own.
      Files.writeString(file, "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }
    log = vertx.fileSystem().openBlocking(file.toString(),
        new OpenOptions().setCreate(true).setAppend(true).setWrite(true).setDsync(true));
  }

  private static boolean endsWithNewline(Path p) throws IOException {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "r")) {
      f.seek(f.length() - 1);
      return f.read() == '\n';
    }
  }

  /** Records a write: in the map (backed up before this completes), then in this member's file. */
  public Future<Void> record(TagWrite w) {
    return Future.fromCompletionStage(map.submitToKey(w.tagKey(), new Append(List.of(w))),
        vertx.getOrCreateContext()).compose(v -> append(w));
  }

  private Future<Void> append(TagWrite w) {
    if (log == null) {
      return Future.succeededFuture();
    }
    try {
      return log.write(Buffer.buffer(JSON.writeValueAsString(w) + "\n"));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /** What Ferry last wrote under the tag (a replication, not a backup), or null. */
  public Future<String> lastWritten(String registry, String repository, String tag) {
    return Future.fromCompletionStage(map.getAsync(key(registry, repository, tag)), vertx.getOrCreateContext())
        .map(h -> {
          if (h == null) {
            return null;
          }
          for (int i = h.writes().size() - 1; i >= 0; i--) {
            if ("write".equals(h.writes().get(i).kind())) {
              return h.writes().get(i).newDigest();
            }
          }
          return null;
        });
  }

  /**
   * Writes to one tag, or to every tag of a repository when {@code tag} is null, newest
   * first, at most {@code limit}.
   */
  public Future<List<TagWrite>> list(String registry, String repository, String tag, int limit) {
    if (tag != null) {
      return Future.fromCompletionStage(map.getAsync(key(registry, repository, tag)), vertx.getOrCreateContext())
          .map(h -> newestFirst(h == null ? List.of() : h.writes(), limit));
    }
    String prefix = key(registry, repository, "");
    return vertx.executeBlocking(() -> {
      List<TagWrite> all = new ArrayList<>();
      map.values(new KeyPrefix(prefix)).forEach(h -> all.addAll(h.writes()));
      return newestFirst(all, limit);
    }, false);
  }

  private static List<TagWrite> newestFirst(List<TagWrite> writes, int limit) {
    return writes.stream().sorted(Comparator.comparingLong(TagWrite::time).reversed()).limit(limit).toList();
  }

  /** Tags whose key starts with a repository's prefix; evaluated on the members that own them. */
  record KeyPrefix(String prefix) implements Predicate<String, TagWrites> {
    @Override
    public boolean apply(Map.Entry<String, TagWrites> entry) {
      return entry.getKey().startsWith(prefix);
    }
  }

  public Future<Void> close() {
    return log == null ? Future.succeededFuture() : log.close();
  }
}
