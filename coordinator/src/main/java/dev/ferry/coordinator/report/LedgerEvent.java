package dev.ferry.coordinator.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.coordinator.audit.LedgerLine;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** One audit ledger entry as a report reads it. */
record LedgerEvent(long seq, Instant time, String actor, String action, String subject, JsonNode details) {

    /** The first part of the action: {@code api}, {@code tag}, {@code registry}, {@code drill}, ... */
    String kind() {
        int dot = action.indexOf('.');
        return dot < 0 ? action : action.substring(0, dot);
    }

    /** The subject without its type: {@code mirror} of {@code registry/mirror}. */
    String subjectName() {
        int slash = subject.indexOf('/');
        return slash < 0 ? subject : subject.substring(slash + 1);
    }

    String detail(String name) {
        JsonNode value = details.path(name);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** The entries of {@code lines} that parse, in ledger order; damaged ones are the verifier's to report. */
    static List<LedgerEvent> parse(List<String> lines) {
        List<LedgerEvent> out = new ArrayList<>();
        for (String text : lines) {
            try {
                LedgerLine line = LedgerLine.parse(text);
                JsonNode f = line.fields();
                out.add(new LedgerEvent(
                        line.seq(),
                        Instant.parse(f.path("time").asText()),
                        f.path("actor").asText(),
                        line.action(),
                        f.path("subject").asText(),
                        f.path("details")));
            } catch (LedgerLine.Invalid | DateTimeParseException e) {
                // Counted as a break by LedgerVerifier, which the report also runs.
            }
        }
        return out;
    }
}
