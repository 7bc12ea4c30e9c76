package dev.ferry.coordinator.audit;

import java.io.Serializable;
import java.util.List;

/**
 * A run of {@link #SIZE} consecutive ledger entries, one map value: segment {@code n} holds
 * seq {@code n*SIZE+1} to {@code (n+1)*SIZE}. Only the last segment grows.
 *
 * @param orphans entries that were acknowledged on one side of a split but lost this key to the
 *     other side's copy when the two merged ({@link LedgerMergePolicy}); each stays here until
 *     {@link ForkRecorder} has put it back into the chain as a {@link LedgerForks#ACTION} record
 */
record Segment(long firstSeq, List<String> lines, String lastHash, List<String> orphans) implements Serializable {

    static final int SIZE = 256;

    Segment {
        lines = List.copyOf(lines);
        orphans = orphans == null ? List.of() : List.copyOf(orphans);
    }

    Segment(long firstSeq, List<String> lines, String lastHash) {
        this(firstSeq, lines, lastHash, List.of());
    }

    static long indexOf(long seq) {
        return (seq - 1) / SIZE;
    }

    static long firstSeqOf(long index) {
        return index * SIZE + 1;
    }

    long lastSeq() {
        return firstSeq + lines.size() - 1;
    }

    boolean full() {
        return lines.size() >= SIZE;
    }

    /** This segment with {@code lines} and {@code lastHash} instead, keeping its orphans. */
    Segment withLines(List<String> lines, String lastHash) {
        return new Segment(firstSeq, lines, lastHash, orphans);
    }
}
