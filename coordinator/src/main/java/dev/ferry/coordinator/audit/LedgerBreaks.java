package dev.ferry.coordinator.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ledger.break} entry: the ledger's own record of a place where a member's file does
 * not verify (a damaged, removed or inserted line). It names the file, the line, why it is bad,
 * the last good entry before it ({@code afterSeq}, {@code afterHash}) and the sha256 of the bad
 * line, so {@link LedgerVerifier} can match it to the break it finds, and the evidence stays in
 * the chain. When the damaged stretch itself is the chain (no other member holds it), the first
 * record starts a new segment ({@code newSegment: true}): its seq and prevHash are not checked
 * against the line before it, and a checkpoint signs it at once.
 */
public final class LedgerBreaks {

    public static final String ACTION = "ledger.break";

    private LedgerBreaks() {}

    /** The details of the record of {@code b}, found in {@code fileName}. */
    static Map<String, Object> details(LedgerVerifier.Break b, String fileName, boolean newSegment) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", fileName);
        d.put("line", b.at().line());
        d.put("entrySeq", b.at().seq());
        d.put("reason", b.at().reason());
        d.put("afterSeq", b.afterSeq());
        d.put("afterHash", b.afterHash());
        d.put("lineDigest", b.lineDigest());
        d.put("newSegment", newSegment);
        return d;
    }

    static boolean startsSegment(LedgerLine entry) {
        return entry.fields().path("details").path("newSegment").asBoolean(false);
    }

    /** What identifies a break, from a record's details. */
    static String key(JsonNode details) {
        return key(
                details.path("afterSeq").asLong(-1),
                details.path("afterHash").asText(),
                details.path("lineDigest").asText());
    }

    static String key(long afterSeq, String afterHash, String lineDigest) {
        return afterSeq + "/" + afterHash + "/" + lineDigest;
    }

    /** One line for a person: where, what, and whether a signed entry records it. */
    public static String describe(LedgerVerifier.Break b, String source) {
        String where = source + ":" + b.at().line() + ": "
                + (b.at().seq() < 0 ? "an unreadable line" : "entry seq " + b.at().seq()) + " is bad: "
                + b.at().reason()
                + " (last good entry before it: seq " + b.afterSeq() + ")";
        return b.recorded() ? where + "; recorded by entry seq " + b.recordedBy() : where;
    }
}
