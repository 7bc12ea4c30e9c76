package dev.ferry.coordinator.audit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.hz.HzFutures;
import dev.ferry.coordinator.metrics.FerryMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit ledger across the cluster. Entries live in segments of a Hazelcast map with a
 * synchronous backup; the member owning the last segment links each new entry to the one
 * before and forces it into its own ledger file before the append is acknowledged. When that
 * member dies, the backup's owner continues the chain from the replicated segment.
 *
 * <p>Every {@code checkpointEvery} entries, and at {@link #close}, a checkpoint entry signs the
 * head with this member's {@link LedgerKey}.
 */
public final class HazelcastLedger implements AuditTrail, AuditReader {

    public static final String MAP_NAME = "ferry-audit-ledger";
    public static final int DEFAULT_CHECKPOINT_EVERY = 100;

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastLedger.class);

    private final HazelcastInstance hazelcast;
    private final IMap<Long, Segment> map;
    private final Vertx vertx;
    private final Clock clock;
    private final LedgerKey key;
    private final Path dataDir;
    private final int checkpointEvery;
    /** The segment this member last saw as the last one; only a hint. */
    private final AtomicLong cursor = new AtomicLong();

    private final ForkRecorder forks;
    private LedgerFile file;
    private volatile List<LedgerVerifier.Break> breaks = List.of();
    private FileRestore.Pending pending;

    /** @param dataDir this member's data directory; null keeps the ledger in the cluster only */
    private static final Logger AUDIT_LOG = LoggerFactory.getLogger("dev.ferry.audit");

    private final FerryMetrics metrics;

    public HazelcastLedger(
            HazelcastInstance hazelcast,
            Vertx vertx,
            Clock clock,
            LedgerKey key,
            Path dataDir,
            int checkpointEvery,
            FerryMetrics metrics) {
        this.metrics = metrics;
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(MAP_NAME);
        this.vertx = vertx;
        this.clock = clock;
        this.key = key;
        this.dataDir = dataDir;
        this.checkpointEvery = checkpointEvery;
        this.forks = new ForkRecorder(
                hazelcast,
                map,
                vertx,
                event -> append(event).map(line -> {
                    metrics.auditEvent(event.action());
                    return line;
                }));
    }

    /**
     * Opens this member's ledger file, puts what it holds back into the map when the cluster lost
     * it (a whole-cluster restart), and finds the last segment. Breaks in the file are logged and
     * kept for {@link #recordBreaks()}. Blocking: call off the event loop.
     */
    public void load() throws IOException {
        if (dataDir != null) {
            file = LedgerFile.open(dataDir);
            LedgerVerifier.Report report = file.report();
            breaks = report.breaks();
            for (LedgerVerifier.Break b : breaks) {
                if (b.recorded()) {
                    LOG.warn(
                            "audit ledger: {}",
                            LedgerBreaks.describe(b, file.path().toString()));
                } else {
                    LOG.error(
                            "audit ledger: {}; the file is kept as it is, and the break is recorded in the ledger",
                            LedgerBreaks.describe(b, file.path().toString()));
                }
            }
            pending = FileRestore.restore(map, file, file.takeReadBack(), report);
            hazelcast.getUserContext().put(AppendEntry.FILE_KEY, file);
        }
        cursor.set(lastSegment());
        forks.start();
    }

    private long lastSegment() {
        return FileRestore.lastSegment(map);
    }

    /**
     * Records each break {@link #load()} found that no signed entry records yet, then signs the
     * records with a checkpoint. When the damaged stretch is the chain, the first record starts a
     * new segment after it. A failure is logged; the next start tries again.
     */
    public Future<Void> recordBreaks() {
        FileRestore.Pending todo = pending;
        pending = null;
        if (todo == null) {
            return Future.succeededFuture();
        }
        String time = clock.instant().toString();
        String member = hazelcast.getCluster().getLocalMember().getAddress().toString();
        Future<LedgerLine> chain = Future.succeededFuture();
        Map<LedgerVerifier.Break, Long> recordedAs = new LinkedHashMap<>();
        for (int i = 0; i < todo.breaks().size(); i++) {
            LedgerVerifier.Break b = todo.breaks().get(i);
            boolean starts = i == 0 && todo.segment() >= 0;
            Map<String, Object> details = new LinkedHashMap<>(LedgerBreaks.details(b, LedgerFile.FILE_NAME, starts));
            details.put("member", member);
            Event event = new Event(Checkpoint.ACTOR, LedgerBreaks.ACTION, Checkpoint.SUBJECT, details);
            chain = chain.compose(prev -> starts ? appendAt(todo.segment(), time, event, todo.seed()) : append(event))
                    .map(line -> {
                        metrics.auditEvent(LedgerBreaks.ACTION);
                        recordedAs.put(b, line.seq());
                        return line;
                    });
        }
        return chain.compose(this::checkpoint)
                .map(cp -> {
                    breaks = breaks.stream()
                            .map(b -> recordedAs.containsKey(b) ? b.recordedBy(recordedAs.get(b)) : b)
                            .toList();
                    recordedAs.forEach((b, seq) -> LOG.error(
                            "audit ledger: the break at {}:{} is recorded as entry seq {}, signed by"
                                    + " checkpoint seq {}; {}",
                            file.path(),
                            b.at().line(),
                            seq,
                            cp.seq(),
                            todo.segment() < 0
                                    ? "the cluster's copy of the chain was not taken from this file"
                                    : seq == Segment.firstSeqOf(todo.segment())
                                            ? "a new segment: the chain goes on from there"
                                            : "the chain goes on"));
                    return (Void) null;
                })
                .recover(e -> {
                    LOG.error(
                            "audit ledger: could not record the breaks in {}: {}; the next start tries again",
                            file.path(),
                            e.toString());
                    return Future.succeededFuture();
                });
    }

    /** The breaks this member found in its ledger file when it started, and which entry records each. */
    public LedgerHealth health() {
        return LedgerHealth.of(breaks, LedgerFile.FILE_NAME, forks.recorded());
    }

    /** Exports the count of breaks this member found in its ledger file. */
    public void registerGauges() {
        metrics.gauge(
                "ferry.audit.ledger.breaks",
                "Breaks (damaged, removed or inserted lines) this member found in its"
                        + " audit ledger file when it started; each is recorded in the ledger",
                () -> breaks.size());
        metrics.gauge(
                "ferry.audit.ledger.forks",
                "Entries acknowledged on one side of a network split that the merge did not keep in the"
                        + " chain, which this member appended again as ledger.fork records",
                forks::recorded);
    }

    @Override
    public Future<Void> record(Event event) {
        return append(event).compose(line -> {
            metrics.auditEvent(event.action());
            // Also one log line, for log-based collection; the ledger stays the record of truth.
            AUDIT_LOG.info(
                    "audit: {} {} by {} {} (seq {})",
                    event.action(),
                    event.subject(),
                    event.actor(),
                    event.details(),
                    line.seq());
            if (checkpointEvery > 0 && line.seq() % checkpointEvery == 0 && !Checkpoint.ACTION.equals(event.action())) {
                return checkpoint(line).mapEmpty();
            }
            return Future.succeededFuture();
        });
    }

    /** Appends one event; the future holds its line once it is stored, backed up and on disk. */
    public Future<LedgerLine> append(Event event) {
        return appendAt(cursor.get(), clock.instant().toString(), event, null);
    }

    private Future<LedgerLine> appendAt(long segment, String time, Event event, String seed) {
        return HzFutures.on(vertx.getOrCreateContext(), map.submitToKey(segment, new AppendEntry(time, event, seed)))
                .compose(result -> {
                    if (result.line() != null) {
                        cursor.accumulateAndGet(segment, Math::max);
                        return Future.succeededFuture(result.line());
                    }
                    if (result.full()) {
                        return appendAt(segment + 1, time, event, result.lastHash());
                    }
                    // A segment that does not exist yet and no seed: the last one is further back.
                    return appendAt(segment - 1, time, event, null);
                });
    }

    /** Signs the entry {@code head} and appends the checkpoint. */
    private Future<LedgerLine> checkpoint(LedgerLine head) {
        return vertx.executeBlocking(() -> Checkpoint.details(key, head.seq(), head.hash()), false)
                .compose(
                        details -> append(new Event(Checkpoint.ACTOR, Checkpoint.ACTION, Checkpoint.SUBJECT, details)));
    }

    /** Signs the current head, if there is anything past the last checkpoint. */
    public Future<Void> checkpointHead() {
        return read(Math.max(1, Segment.firstSeqOf(cursor.get())), Integer.MAX_VALUE)
                .compose(lines -> {
                    if (lines.isEmpty()) {
                        return Future.succeededFuture();
                    }
                    LedgerLine last = LedgerLine.parse(lines.get(lines.size() - 1));
                    if (Checkpoint.ACTION.equals(last.action())) {
                        return Future.succeededFuture();
                    }
                    return checkpoint(last).mapEmpty();
                });
    }

    @Override
    public Future<List<String>> read(long since, int limit) {
        return vertx.executeBlocking(
                () -> {
                    List<String> out = new ArrayList<>();
                    long from = Math.max(1, since);
                    for (long s = Segment.indexOf(from); out.size() < limit; s++) {
                        Segment segment = map.get(s);
                        if (segment == null) {
                            break;
                        }
                        for (int i = 0; i < segment.lines().size() && out.size() < limit; i++) {
                            if (segment.firstSeq() + i >= from) {
                                out.add(segment.lines().get(i));
                            }
                        }
                    }
                    return out;
                },
                false);
    }

    public String publicKey() {
        return key.publicKey();
    }

    /** Signs the head, then closes this member's file. */
    public Future<Void> close() {
        forks.stop();
        return checkpointHead()
                .recover(e -> {
                    LOG.warn("audit ledger: no checkpoint at shutdown: {}", e.toString());
                    return Future.succeededFuture();
                })
                .compose(v -> vertx.executeBlocking(
                        () -> {
                            if (file != null) {
                                hazelcast.getUserContext().remove(AppendEntry.FILE_KEY, file);
                                file.close();
                            }
                            return null;
                        },
                        false));
    }
}
