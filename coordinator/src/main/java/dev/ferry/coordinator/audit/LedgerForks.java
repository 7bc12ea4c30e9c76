package dev.ferry.coordinator.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ledger.fork} entry: an entry that was acknowledged on one side of a network split
 * but was not in the copy of the chain the merge kept, appended again to the chain so that it is
 * not lost. It keeps the original entry's subject, and its details hold the original line as it
 * was ({@code entry}, whose own hash still verifies), its seq and hash, and the segment it came
 * from. Every such record is the ledger's report of a fork: {@code ferry ctl audit verify} counts
 * them, and the member that appended them counts them in {@code GET /health/ready}.
 */
public final class LedgerForks {

    public static final String ACTION = "ledger.fork";

    private LedgerForks() {}

    /** The record of {@code orphan}, a line of segment {@code segment} that lost a merge. */
    static AuditTrail.Event event(String orphan, long segment) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("entry", orphan);
        details.put("segment", segment);
        String subject = Checkpoint.SUBJECT;
        try {
            LedgerLine line = LedgerLine.parse(orphan);
            details.put("entrySeq", line.seq());
            details.put("entryHash", line.hash());
            details.put("entryAction", line.action());
            subject = line.fields().path("subject").asText(subject);
        } catch (LedgerLine.Invalid e) {
            details.put("entrySeq", LedgerVerifier.seqOf(orphan));
            details.put("entryHash", LedgerLine.sha256(orphan));
            details.put("entryInvalid", e.getMessage());
        }
        return new AuditTrail.Event(Checkpoint.ACTOR, ACTION, subject, details);
    }
}
