package dev.ferry.coordinator.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code GET /health/ready} says of this member's audit ledger file: {@code intact}, or
 * {@code broken} with the number of breaks found at start and the first one in words. A break
 * does not make the member unready: the ledger goes on, recording it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerHealth(String status, int breaks, String message) {

    /** The view of a member without a ledger file. */
    public static Supplier<LedgerHealth> none() {
        return () -> null;
    }

    static LedgerHealth of(List<LedgerVerifier.Break> breaks, String fileName) {
        if (breaks.isEmpty()) {
            return new LedgerHealth("intact", 0, null);
        }
        LedgerVerifier.Break first = breaks.get(0);
        String message = LedgerBreaks.describe(first, fileName)
                + (first.recorded() ? "" : "; not recorded yet")
                + (breaks.size() > 1 ? "; and " + (breaks.size() - 1) + " more" : "")
                + "; see ferry ctl audit verify";
        return new LedgerHealth("broken", breaks.size(), message);
    }
}
