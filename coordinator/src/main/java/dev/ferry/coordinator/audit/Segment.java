package dev.ferry.coordinator.audit;

import java.io.Serializable;
import java.util.List;

/**
 * A run of {@link #SIZE} consecutive ledger entries, one map value: segment {@code n} holds
 * seq {@code n*SIZE+1} to {@code (n+1)*SIZE}. Only the last segment grows.
 */
record Segment(long firstSeq, List<String> lines, String lastHash) implements Serializable {

    static final int SIZE = 256;

    Segment {
        lines = List.copyOf(lines);
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
}
