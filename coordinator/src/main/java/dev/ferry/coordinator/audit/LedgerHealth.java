package dev.ferry.coordinator.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code GET /health/ready} says of this member's audit ledger file: {@code intact}, or
 * {@code broken} with the number of breaks found at start and the first one in words. A break
 * does not make the member unready: the ledger goes on, recording it. {@code forks}, when there
 * are any, counts the entries a split-brain merge left out of the chain that this member appended
 * again as {@link LedgerForks#ACTION} records since it started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerHealth(String status, int breaks, String message, Integer forks) {

    public LedgerHealth(String status, int breaks, String message) {
        this(status, breaks, message, null);
    }

    /** The view of a member without a ledger file. */
    public static Supplier<LedgerHealth> none() {
        return () -> null;
    }

    /** @param forks {@link LedgerForks#ACTION} records this member appended; shown when there are any */
    static LedgerHealth of(List<LedgerVerifier.Break> breaks, String fileName, int forks) {
        Integer shown = forks == 0 ? null : forks;
        if (breaks.isEmpty()) {
            return new LedgerHealth("intact", 0, null, shown);
        }
        LedgerVerifier.Break first = breaks.get(0);
        String message = LedgerBreaks.describe(first, fileName)
                + (first.recorded() ? "" : "; not recorded yet")
                + (breaks.size() > 1 ? "; and " + (breaks.size() - 1) + " more" : "")
                + "; see ferry ctl audit verify";
        return new LedgerHealth("broken", breaks.size(), message, shown);
    }
}
