package dev.ferry.coordinator.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.Offloadable;
import com.hazelcast.map.EntryProcessor;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Appends one event to the last segment, on the member that owns it: links it to the segment's
 * last hash, writes it to this member's ledger file (forced to disk), then stores it; Hazelcast
 * backs the stored segment up before the caller hears back. Offloaded, so the disk write does
 * not hold a partition thread, while the entry stays locked so appends are linear.
 *
 * <p>The backup replica gets {@link StoreBackup} with the line made here, so it never
 * re-computes (or re-writes) anything.
 */
final class AppendEntry
        implements EntryProcessor<Long, Segment, AppendEntry.Result>, Offloadable, HazelcastInstanceAware {

    /** The user-context key under which a member's {@link LedgerFile} is found. */
    static final String FILE_KEY = "ferry.audit.ledger-file";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String time;
    private final String actor;
    private final String action;
    private final String subject;
    private final String detailsJson;
    /** When the segment is new: the seq before it and that entry's hash. */
    private final String seedHash;

    private transient HazelcastInstance hazelcast;
    private transient Segment stored;

    AppendEntry(String time, AuditTrail.Event event, String seedHash) {
        this.time = time;
        this.actor = event.actor();
        this.action = event.action();
        this.subject = event.subject();
        this.detailsJson = LedgerLine.canonicalJson(event.details());
        this.seedHash = seedHash;
    }

    /**
     * @param line the appended entry, or null when the segment was full or had no start
     * @param lastHash when full: the segment's last hash, the seed of the next one
     */
    record Result(LedgerLine line, boolean full, boolean noSeed, String lastHash) implements Serializable {}

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    @Override
    public String getExecutorName() {
        return Offloadable.OFFLOADABLE_EXECUTOR;
    }

    @Override
    public Result process(Map.Entry<Long, Segment> entry) {
        Segment segment = entry.getValue();
        if (segment != null && segment.full()) {
            return new Result(null, true, false, segment.lastHash());
        }
        String prev;
        long first = Segment.firstSeqOf(entry.getKey());
        if (segment != null) {
            prev = segment.lastHash();
        } else if (entry.getKey() == 0) {
            prev = LedgerLine.GENESIS;
        } else if (seedHash != null) {
            prev = seedHash;
        } else {
            return new Result(null, false, true, null);
        }
        List<String> lines = segment == null ? List.of() : segment.lines();
        LedgerLine line = LedgerLine.create(first + lines.size(), prev, time, actor, action, subject, details());
        LedgerFile file = hazelcast == null
                ? null
                : (LedgerFile) hazelcast.getUserContext().get(FILE_KEY);
        if (file != null) {
            try {
                file.append(line, lines, first);
            } catch (IOException e) {
                throw new UncheckedIOException("audit ledger: cannot write " + file.path(), e);
            }
        }
        List<String> grown = new ArrayList<>(lines);
        grown.add(line.text());
        stored = segment == null ? new Segment(first, grown, line.hash()) : segment.withLines(grown, line.hash());
        entry.setValue(stored);
        return new Result(line, false, false, null);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> details() {
        try {
            return JSON.readValue(detailsJson, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public EntryProcessor<Long, Segment, Result> getBackupProcessor() {
        return stored == null ? null : new StoreBackup(stored);
    }

    /** Sets the segment the primary computed. */
    record StoreBackup(Segment segment) implements EntryProcessor<Long, Segment, Result> {
        @Override
        public Result process(Map.Entry<Long, Segment> entry) {
            entry.setValue(segment);
            return null;
        }
    }
}
