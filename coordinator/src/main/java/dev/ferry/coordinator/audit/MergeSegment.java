package dev.ferry.coordinator.audit;

import com.hazelcast.map.EntryProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts entries read back from a member's file into their segment after a whole-cluster restart:
 * the segment keeps the longer of what it holds and what the file had, when the two agree
 * where they overlap. A segment whose lines hold a break ({@code onlyIfAbsent}) is put only where
 * the cluster has none, so a damaged copy never replaces or extends what other members hold.
 * Returns whether the segment changed.
 */
record MergeSegment(long firstSeq, List<String> lines, String lastHash, boolean onlyIfAbsent)
        implements EntryProcessor<Long, Segment, Boolean> {

    @Override
    public Boolean process(Map.Entry<Long, Segment> entry) {
        Segment held = entry.getValue();
        if (held == null) {
            entry.setValue(new Segment(firstSeq, lines, lastHash));
            return true;
        }
        if (onlyIfAbsent
                || held.firstSeq() != firstSeq
                || held.lines().size() >= lines.size()
                || !lines.subList(0, held.lines().size()).equals(held.lines())) {
            return false;
        }
        entry.setValue(held.withLines(new ArrayList<>(lines), lastHash));
        return true;
    }
}
