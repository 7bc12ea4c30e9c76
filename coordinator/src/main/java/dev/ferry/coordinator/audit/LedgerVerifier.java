package dev.ferry.coordinator.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Re-checks a ledger's lines: each line's form and hash, the sequence with no gap, each
 * {@code prevHash} against the entry before, and each checkpoint's signature (by a pinned key
 * when keys are given).
 *
 * <p>It reads on past a bad entry: the chain is then taken up again, on trust, at the next line
 * that reads, and every break is listed. A break counts as recorded when a signed
 * {@link LedgerBreaks#ACTION} entry further on names it (the last good entry before it and the
 * bad line's digest); {@link Report#problem()} is the first break that is not.
 *
 * <p>Over 300 lines because the one verifier of the ledger's format; every check (form, hash, sequence, previous hash, signatures, recorded breaks) must see the same walk over the lines.
 */
public final class LedgerVerifier {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d{1,18})");

    private final Set<String> pinnedKeys;

    /** @param pinnedKeys base64 public keys checkpoints must be signed with; empty accepts any */
    public LedgerVerifier(Set<String> pinnedKeys) {
        this.pinnedKeys = Set.copyOf(pinnedKeys);
    }

    /**
     * A bad entry.
     *
     * @param line 1-based line number in what was read
     * @param seq the entry's seq when it could be read, else -1
     */
    public record Problem(int line, long seq, String reason) {}

    /**
     * A place where the chain does not go on.
     *
     * @param afterSeq the last entry that verified before it (0 for none)
     * @param afterHash that entry's hash ({@link LedgerLine#GENESIS} for none)
     * @param lineDigest sha256 of the bad line's text
     * @param entriesBefore entries that verified before it
     * @param recordedBy seq of the signed entry recording it, or -1
     */
    public record Break(
            Problem at, long afterSeq, String afterHash, String lineDigest, int entriesBefore, long recordedBy) {
        public boolean recorded() {
            return recordedBy > 0;
        }

        Break recordedBy(long seq) {
            return new Break(at, afterSeq, afterHash, lineDigest, entriesBefore, seq);
        }
    }

    /**
     * @param firstSeq the first entry's seq; a ledger read from its start has 1, a member's file
     *     that begins after a take-over starts later and its first prevHash is taken on trust
     * @param lastCheckpointSeq the last checkpoint's seq, -1 without one
     * @param keys the public keys that signed checkpoints
     * @param problem the first break no signed entry records, or null
     * @param breaks every break, recorded or not, in file order
     * @param forks {@link LedgerForks#ACTION} records: entries acknowledged on one side of a split
     *     that the merge left out of the chain, appended again
     */
    public record Report(
            int entries,
            long firstSeq,
            long lastSeq,
            String headHash,
            int checkpoints,
            long lastCheckpointSeq,
            Set<String> keys,
            Problem problem,
            List<Break> breaks,
            int forks) {
        /** Nothing bad at all. */
        public boolean ok() {
            return breaks.isEmpty();
        }

        /** Every break is recorded by a signed entry and everything else verifies. */
        public boolean intactSinceBreaks() {
            return problem == null;
        }

        /** The first break that is not recorded, or null. */
        public Break firstUnrecorded() {
            return breaks.stream().filter(b -> !b.recorded()).findFirst().orElse(null);
        }
    }

    public Report verify(List<String> lines) {
        return new Scan(recordsIn(lines)).run(lines);
    }

    /** The {@link LedgerBreaks#ACTION} entries that read, by the break they name. */
    private static Map<String, Long> recordsIn(List<String> lines) {
        Map<String, Long> records = new HashMap<>();
        for (String text : lines) {
            if (!text.contains(LedgerBreaks.ACTION)) {
                continue;
            }
            try {
                LedgerLine line = LedgerLine.parse(text);
                if (LedgerBreaks.ACTION.equals(line.action())) {
                    records.putIfAbsent(LedgerBreaks.key(line.fields().path("details")), line.seq());
                }
            } catch (LedgerLine.Invalid e) {
                // An unreadable record is a break of its own.
            }
        }
        return records;
    }

    /** One pass over the lines; a run is a stretch of entries that link, the first on trust. */
    private final class Scan {
        private final Map<String, Long> records;
        private final List<Break> breaks = new ArrayList<>();
        private final Set<String> keys = new TreeSet<>();
        /** Per run: seq to hash, and the highest seq a valid checkpoint in it signs. */
        private Map<Long, String> hashes = new HashMap<>();

        private final List<Long> signedUpTo = new ArrayList<>();
        /** Record seq to the run it is in. */
        private final Map<Long, Integer> recordRuns = new HashMap<>();

        private int run = -1;
        private long runFirst = -1;
        private long firstSeq = -1;
        private long lastSeq = -1;
        private String head;
        private long goodSeq = 0;
        private String goodHash = LedgerLine.GENESIS;
        private boolean damaged;
        private int entries;
        private int checkpoints;
        private int forks;
        private long lastCheckpoint = -1;

        Scan(Map<String, Long> records) {
            this.records = records;
        }

        Report run(List<String> lines) {
            int lineNo = 0;
            for (String text : lines) {
                lineNo++;
                if (!text.isBlank()) {
                    line(lineNo, text);
                }
            }
            List<Break> settled = breaks.stream().map(this::settle).toList();
            Break first =
                    settled.stream().filter(b -> !b.recorded()).findFirst().orElse(null);
            return new Report(
                    entries,
                    firstSeq,
                    lastSeq,
                    head,
                    checkpoints,
                    lastCheckpoint,
                    keys,
                    first == null ? null : first.at(),
                    settled,
                    forks);
        }

        private void line(int lineNo, String text) {
            LedgerLine entry;
            try {
                entry = LedgerLine.parse(text);
            } catch (LedgerLine.Invalid e) {
                if (!damaged) {
                    addBreak(new Problem(lineNo, seqOf(text), e.getMessage()), text);
                }
                damaged = true;
                run = -1;
                return;
            }
            boolean startsSegment = LedgerBreaks.ACTION.equals(entry.action()) && LedgerBreaks.startsSegment(entry);
            String reason = run < 0 || startsSegment ? start(entry) : link(entry);
            if (reason != null) {
                addBreak(new Problem(lineNo, entry.seq(), reason), text);
                damaged = false;
                newRun(entry);
            } else if (run < 0 || startsSegment) {
                damaged = false;
                newRun(entry);
            }
            if (Checkpoint.ACTION.equals(entry.action())) {
                String bad = checkpoint(entry.fields(), entry.seq());
                if (bad != null && reason == null) {
                    addBreak(new Problem(lineNo, entry.seq(), bad), text);
                } else if (bad == null) {
                    checkpoints++;
                    lastCheckpoint = entry.seq();
                    keys.add(entry.fields().path("details").path("key").asText());
                }
            }
            if (LedgerBreaks.ACTION.equals(entry.action())) {
                recordRuns.put(entry.seq(), run);
            }
            if (LedgerForks.ACTION.equals(entry.action())) {
                forks++;
            }
            if (firstSeq < 0) {
                firstSeq = entry.seq();
            }
            entries++;
            lastSeq = entry.seq();
            head = entry.hash();
            hashes.put(entry.seq(), entry.hash());
            goodSeq = entry.seq();
            goodHash = entry.hash();
        }

        private void newRun(LedgerLine entry) {
            run = signedUpTo.size();
            signedUpTo.add(-1L);
            runFirst = entry.seq();
            hashes = new HashMap<>();
        }

        /** Why the first entry of the whole ledger cannot start it, or null; later runs start on trust. */
        private String start(LedgerLine entry) {
            if (entry.seq() < 1) {
                return "seq " + entry.seq() + " is not positive";
            }
            if (firstSeq < 0 && entry.seq() == 1 && !LedgerLine.GENESIS.equals(entry.prevHash())) {
                return "entry 1 has a prevHash other than " + LedgerLine.GENESIS;
            }
            return null;
        }

        /** Why {@code entry} does not follow the one before, or null. */
        private String link(LedgerLine entry) {
            if (entry.seq() != lastSeq + 1) {
                return "seq " + entry.seq() + " follows seq " + lastSeq + " (expected " + (lastSeq + 1) + ")";
            }
            if (!entry.prevHash().equals(head)) {
                return "prevHash does not match the hash of entry " + lastSeq;
            }
            return null;
        }

        private String checkpoint(JsonNode fields, long seq) {
            JsonNode d = fields.path("details");
            long signedSeq = d.path("signedSeq").asLong(-1);
            String signedHash = d.path("signedHash").asText();
            String key = d.path("key").asText();
            if (signedSeq < 1 || signedSeq >= seq) {
                return "checkpoint signs seq " + signedSeq + ", which is not before it";
            }
            String known = hashes.get(signedSeq);
            if (known != null && !known.equals(signedHash)) {
                return "checkpoint signs a hash that is not entry " + signedSeq + "'s";
            }
            if (known == null && signedSeq >= runFirst) {
                return "checkpoint signs entry " + signedSeq + ", which is not in the ledger";
            }
            if (!LedgerKey.verify(
                    key,
                    Checkpoint.message(signedSeq, signedHash),
                    d.path("signature").asText())) {
                return "checkpoint signature does not verify";
            }
            if (!pinnedKeys.isEmpty() && !pinnedKeys.contains(key)) {
                return "checkpoint is signed by key " + key + ", which is not a pinned key";
            }
            if (known != null) {
                signedUpTo.set(run, Math.max(signedUpTo.get(run), signedSeq));
            }
            return null;
        }

        private void addBreak(Problem at, String text) {
            breaks.add(new Break(at, goodSeq, goodHash, LedgerLine.sha256(text), entries, -1));
        }

        /** The break, recorded when a record names it and a checkpoint in the record's run signs it. */
        private Break settle(Break b) {
            Long record = records.get(LedgerBreaks.key(b.afterSeq(), b.afterHash(), b.lineDigest()));
            if (record == null || record <= b.afterSeq()) {
                return b;
            }
            Integer recordRun = recordRuns.get(record);
            boolean signed = recordRun != null && recordRun >= 0 && signedUpTo.get(recordRun) >= record;
            return signed ? b.recordedBy(record) : b;
        }
    }

    /**
     * A ledger's text as lines: split at each newline only (a stray carriage return stays in its
     * line, where it is damage to find), without the empty string after a final newline.
     */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /**
     * The seq a line shows, even one that does not parse; -1 when it shows none. Of a damaged
     * line, the last {@code "seq":N} counts: the canonical form puts the entry's own seq after
     * its details.
     */
    public static long seqOf(String text) {
        try {
            return LedgerLine.parse(text).seq();
        } catch (LedgerLine.Invalid e) {
            var m = SEQ.matcher(text);
            long seq = -1;
            while (m.find()) {
                seq = Long.parseLong(m.group(1));
            }
            return seq;
        }
    }
}
