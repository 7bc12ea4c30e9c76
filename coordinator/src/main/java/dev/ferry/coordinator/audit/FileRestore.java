package dev.ferry.coordinator.audit;

import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts what a member's ledger file holds back into the ledger's map after a whole-cluster
 * restart, and says where the breaks the file holds are to be recorded. A segment with a break
 * in it is put only where the cluster has none ({@link MergeSegment}), so a damaged copy never
 * replaces or extends what other members hold. Blocking: call off the event loop.
 */
final class FileRestore {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastLedger.class);

    private FileRestore() {}

    /**
     * Breaks to record, and where: from a new segment after the damaged stretch ({@code segment},
     * its first entry linked to {@code seed}), or at the head when {@code segment} is -1.
     */
    record Pending(List<LedgerVerifier.Break> breaks, long segment, String seed) {}

    static long lastSegment(IMap<Long, Segment> map) {
        return map.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * Puts the file's segments into the map, each line at the position it was appended at (a
     * record starting a new segment jumps to its seq). Returns the breaks left to record, and
     * where: in a new segment when the damaged stretch became the cluster's chain, else at the head.
     */
    static Pending restore(IMap<Long, Segment> map, LedgerFile file, List<String> lines, LedgerVerifier.Report report) {
        Set<Integer> breakLines = new HashSet<>();
        report.breaks().forEach(b -> breakLines.add(b.at().line()));
        LedgerVerifier.Break firstUnrecorded = report.firstUnrecorded();
        Map<Long, List<String>> bySegment = new TreeMap<>();
        Map<Long, Long> segmentStart = new HashMap<>();
        Map<Long, String> segmentHash = new HashMap<>();
        Set<Long> damaged = new HashSet<>();
        long unrecordedSegment = -1;
        long pos = -1;
        long maxSeq = 0;
        String lastHash = null;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            LedgerLine entry = parsed(text);
            long seq = entry != null ? entry.seq() : LedgerVerifier.seqOf(text);
            pos = pos < 0 ? Math.max(1, seq) : pos + 1;
            if (entry != null
                    && seq > pos
                    && LedgerBreaks.ACTION.equals(entry.action())
                    && LedgerBreaks.startsSegment(entry)) {
                pos = seq;
            }
            long segment = Segment.indexOf(pos);
            segmentStart.putIfAbsent(segment, pos);
            bySegment.computeIfAbsent(segment, k -> new ArrayList<>()).add(text);
            // A damaged line's "hash" is that of its text, so a link to it commits to what it holds.
            lastHash = entry != null ? entry.hash() : LedgerLine.sha256(text);
            segmentHash.put(segment, lastHash);
            if (breakLines.contains(i + 1)) {
                damaged.add(segment);
            }
            if (firstUnrecorded != null && firstUnrecorded.at().line() == i + 1) {
                unrecordedSegment = segment;
            }
            maxSeq = Math.max(maxSeq, Math.max(pos, seq));
        }
        int restored = 0;
        boolean damageRestored = false;
        for (var e : bySegment.entrySet()) {
            List<String> segLines = e.getValue();
            long segFirst = segmentStart.get(e.getKey());
            if (segFirst != Segment.firstSeqOf(e.getKey())) {
                continue; // a file that starts mid-segment cannot rebuild that segment
            }
            MergeSegment merge =
                    new MergeSegment(segFirst, segLines, segmentHash.get(e.getKey()), damaged.contains(e.getKey()));
            if (map.executeOnKey(e.getKey(), merge)) {
                restored++;
                damageRestored |= e.getKey() == unrecordedSegment;
            }
        }
        if (restored > 0) {
            LOG.info("audit ledger: {} segments restored from {}", restored, file.path());
        }
        if (firstUnrecorded == null) {
            return null;
        }
        List<LedgerVerifier.Break> unrecorded =
                report.breaks().stream().filter(b -> !b.recorded()).toList();
        if (!damageRestored) {
            return new Pending(unrecorded, -1, null);
        }
        long next = Math.max(Segment.indexOf(maxSeq), lastSegment(map)) + 1;
        file.resumeAfter(Segment.firstSeqOf(next) - 1, lastHash);
        return new Pending(unrecorded, next, lastHash);
    }

    private static LedgerLine parsed(String text) {
        try {
            return LedgerLine.parse(text);
        } catch (LedgerLine.Invalid e) {
            return null;
        }
    }
}
